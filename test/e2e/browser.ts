/** Shared by the browser e2e test and bench/dashboard.bench.ts: build the renderer, launch Chromium. */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join, resolve } from 'node:path';
import { chromium, type Browser } from 'playwright-core';

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const CHROMIUM_PATH = process.env['HASHDECK_CHROMIUM'] ?? '/usr/bin/chromium';

export function chromiumAvailable(): boolean {
  return existsSync(CHROMIUM_PATH);
}

export async function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
  });
}

/** Builds src-renderer into outDir with its own vite config (the same one `npx vite build` uses). */
export async function buildRenderer(outDir: string): Promise<void> {
  const { build } = await import('vite');
  // vitest sets NODE_ENV=test, which would make vite bundle React's development build.
  const saved = process.env['NODE_ENV'];
  process.env['NODE_ENV'] = 'production';
  try {
    await build({ configFile: resolve(REPO_ROOT, 'src-renderer/vite.config.ts'), mode: 'production', logLevel: 'warn', build: { outDir, emptyOutDir: true } });
  } finally {
    if (saved === undefined) delete process.env['NODE_ENV'];
    else process.env['NODE_ENV'] = saved;
  }
}

/** Newest modification time under a directory. */
function newestMtimeMs(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtimeMs(p) : statSync(p).mtimeMs);
  }
  return newest;
}

/** The CLI serves out/renderer; build it when it is missing or older than its sources. */
export async function ensureRendererBuilt(): Promise<void> {
  const out = join(REPO_ROOT, 'out/renderer');
  const index = join(out, 'index.html');
  if (existsSync(index) && statSync(index).mtimeMs >= newestMtimeMs(join(REPO_ROOT, 'src-renderer'))) return;
  await buildRenderer(out);
}
