/**
 * Whether the desktop app can really seal secrets. Electron's safeStorage on Linux falls back to
 * the `basic_text` backend (a fixed, built-in key) when no secret service or KWallet is running,
 * and still reports encryption as available; a password "sealed" that way is as good as plain
 * text. So on Linux the backend is checked: without a real keychain HashDeck never says a secret is
 * sealed, keeps secrets out of settings.json, holds them in memory for the session and asks for
 * them again at the next start. Pure (the safeStorage object is injected): tested in plain Node.
 */

/** The parts of Electron's safeStorage used here. */
export interface SafeStorageLike {
  isEncryptionAvailable(): boolean;
  /** Linux only in Electron (basic_text, gnome_libsecret, kwallet, kwallet5, kwallet6, unknown). */
  getSelectedStorageBackend?(): string;
}

export type SecretStorageDecision = { mode: 'keychain'; backend: string } | { mode: 'session'; reason: string };

/** Backends that do not protect a secret: a fixed key, or none chosen yet. */
const WEAK_LINUX_BACKENDS = new Set(['basic_text', 'unknown']);

export function decideSecretStorage(safeStorage: SafeStorageLike, platform: NodeJS.Platform): SecretStorageDecision {
  if (!safeStorage.isEncryptionAvailable()) return { mode: 'session', reason: 'the operating system offers no keychain to HashDeck' };
  if (platform !== 'linux') return { mode: 'keychain', backend: platform === 'darwin' ? 'macOS Keychain' : 'Windows DPAPI' };
  const backend = safeStorage.getSelectedStorageBackend?.() ?? 'unknown';
  if (WEAK_LINUX_BACKENDS.has(backend)) {
    return { mode: 'session', reason: `no keychain service (GNOME Keyring / Secret Service or KWallet) is running, so Electron would only obscure passwords with a fixed key (backend ${backend})` };
  }
  return { mode: 'keychain', backend };
}

/** What the user is told when secrets are kept for this session only. */
export function sessionOnlyNotice(decision: Extract<SecretStorageDecision, { mode: 'session' }>): string {
  return `Passwords are not saved: ${decision.reason}. HashDeck keeps pool and RPC passwords in memory until it quits and asks for them again next time. Start a keychain service to have them saved sealed.`;
}
