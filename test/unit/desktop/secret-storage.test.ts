/** The desktop app never calls a secret sealed when Electron's backend is basic_text. */
import { describe, expect, it } from 'vitest';
import { decideSecretStorage, sessionOnlyNotice, type SafeStorageLike } from '../../../src-main/desktop/secret-storage.js';

const storage = (available: boolean, backend?: string): SafeStorageLike => ({
  isEncryptionAvailable: () => available,
  ...(backend === undefined ? {} : { getSelectedStorageBackend: () => backend }),
});

describe('secret storage decision', () => {
  it('Linux with the basic_text backend (no keychain service) → session only, even though encryption is "available"', () => {
    const d = decideSecretStorage(storage(true, 'basic_text'), 'linux');
    expect(d.mode).toBe('session');
    if (d.mode === 'session') expect(sessionOnlyNotice(d)).toMatch(/not saved.*fixed key.*again next time/);
  });

  it('Linux with an unknown backend, or with encryption unavailable → session only', () => {
    expect(decideSecretStorage(storage(true, 'unknown'), 'linux').mode).toBe('session');
    expect(decideSecretStorage(storage(true), 'linux').mode).toBe('session');
    expect(decideSecretStorage(storage(false, 'gnome_libsecret'), 'linux').mode).toBe('session');
    expect(decideSecretStorage(storage(false), 'win32').mode).toBe('session');
  });

  it('a real keychain → sealed', () => {
    expect(decideSecretStorage(storage(true, 'gnome_libsecret'), 'linux')).toEqual({ mode: 'keychain', backend: 'gnome_libsecret' });
    expect(decideSecretStorage(storage(true, 'kwallet5'), 'linux')).toEqual({ mode: 'keychain', backend: 'kwallet5' });
    expect(decideSecretStorage(storage(true), 'darwin').mode).toBe('keychain');
    expect(decideSecretStorage(storage(true), 'win32').mode).toBe('keychain');
  });
});
