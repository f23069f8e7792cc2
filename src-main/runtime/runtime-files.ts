/**
 * Where HashDeck's own files are at run time: the emulator's hash worker and the built dashboard.
 *
 * A bundler puts modules into whatever chunks it likes (out/main/cli.js, out/main/chunks/…), so a
 * path relative to the module that needs a file breaks when the chunk layout changes. Entry points
 * are the one fixed place: the build writes every entry (cli.js, engine.js, hash-worker.js) into
 * out/main. So each built entry registers its own URL here, and files are found from it. From
 * TypeScript source (tsx, vitest) nothing needs registering: this module knows its place in src-main.
 */
import { fileURLToPath } from 'node:url';

/** Running from TypeScript source (tsx or vitest), not from a bundle. */
const FROM_SOURCE = import.meta.url.endsWith('.ts');

let entryDirUrl: URL | null = null;

/**
 * Called by each built entry point with its own `import.meta.url`. Ignored when running from
 * source, where the entry is a .ts file in src-main and this module finds files itself.
 */
export function registerEntryPoint(entryUrl: string): void {
  if (entryUrl.endsWith('.ts')) return;
  entryDirUrl = new URL('./', entryUrl);
}

export class RuntimeFileError extends Error {
  override name = 'RuntimeFileError';
}

function builtDir(what: string): URL {
  if (!entryDirUrl) throw new RuntimeFileError(`cannot locate ${what}: no entry point of this bundle registered itself (registerEntryPoint)`);
  return entryDirUrl;
}

export interface HashWorkerFile {
  url: URL;
  /** A .ts file: the worker thread must load tsx before it (hash-worker-boot.cjs). */
  typescript: boolean;
}

/** The emulator's hash worker body: hash-worker.js beside the built entries, or the .ts source. */
export function hashWorkerFile(): HashWorkerFile {
  if (FROM_SOURCE) return { url: new URL('../emulator/hash-worker.ts', import.meta.url), typescript: true };
  return { url: new URL('hash-worker.js', builtDir('the hash worker')), typescript: false };
}

/** The worker-thread bootstrap that registers tsx before loading a .ts worker body (source runs only). */
export function typescriptWorkerBoot(): URL {
  return new URL('../emulator/hash-worker-boot.cjs', import.meta.url);
}

/** The built renderer (the dashboard the web server serves): out/renderer. */
export function rendererDir(): string {
  if (FROM_SOURCE) return fileURLToPath(new URL('../../out/renderer', import.meta.url));
  // Entries are in out/main; the renderer build is its sibling.
  return fileURLToPath(new URL('../renderer', builtDir('the dashboard')));
}
