/**
 * Shared by the browser e2e tests and bench/dashboard.bench.ts: build the renderer, launch
 * Chromium, and watch a page for what a test must fail on (console errors, bad /ws frames).
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join, resolve } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { engineMessageSchema, type EngineMessage } from '@shared/contract';

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

/**
 * Notes the page's console errors (and warnings, unless `warnings: false`) and uncaught exceptions
 * in `problems`, which each test asserts empty at the end. Returns the page for chaining.
 */
export function watchPage(page: Page, problems: string[], { warnings = true }: { warnings?: boolean } = {}): Page {
  page.on('console', (m) => {
    if (m.type() === 'error' || (warnings && m.type() === 'warning')) problems.push(`${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  return page;
}

/** Hands every engine message the page receives over /ws to `onMessage`, checked against the contract; a frame that does not parse is a problem. */
export function watchEngineMessages(page: Page, problems: string[], onMessage: (message: EngineMessage) => void): void {
  page.on('websocket', (ws) => {
    ws.on('framereceived', ({ payload }) => {
      const parsed = engineMessageSchema.safeParse(JSON.parse(typeof payload === 'string' ? payload : payload.toString('utf8')));
      if (!parsed.success) return void problems.push(`unparsable frame: ${parsed.error.issues[0]?.message}`);
      onMessage(parsed.data);
    });
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
