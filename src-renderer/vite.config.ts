/**
 * The renderer's build: used by electron-vite (electron.vite.config.ts spreads it) and on its own
 * (`npx vite build --config src-renderer/vite.config.ts`, the browser tests). Output: out/renderer,
 * relative asset paths so that it loads from file:// in Electron and from / on the web server.
 */
import { fileURLToPath } from 'node:url';
import { dirname, resolve } from 'node:path';
import { defineConfig, type Plugin } from 'vite';
import react from '@vitejs/plugin-react';

const root = dirname(fileURLToPath(import.meta.url));

/** Entries: the page, and its first script (src/early.ts), built on its own so it runs before the app's modules load. */
export const RENDERER_INPUT = { index: resolve(root, 'index.html'), early: resolve(root, 'src/early.ts') };

/**
 * Puts the early script's tag ahead of the app's: module scripts run in document order, and this one
 * is a few hundred bytes, so the WebSocket opens while the app is still being compiled
 * (src/state/early-socket.ts). Without a bundle (the dev server) the app opens its own socket.
 */
function earlyScriptFirst(): Plugin {
  return {
    name: 'hashdeck-early-script-first',
    transformIndexHtml: {
      order: 'post',
      handler(html, ctx) {
        const early = Object.values(ctx.bundle ?? {}).find((c) => c.type === 'chunk' && c.isEntry && c.name === 'early');
        return early ? html.replace('<script type="module"', `<script type="module" crossorigin src="./${early.fileName}"></script>\n    <script type="module"`) : html;
      },
    },
  };
}

export default defineConfig({
  root,
  base: './',
  plugins: [react(), earlyScriptFirst()],
  resolve: { alias: { '@shared': resolve(root, '../src-shared') } },
  build: {
    outDir: resolve(root, '../out/renderer'),
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: false,
    // electron-vite builds the renderer unminified unless told: the dashboard the web server sends
    // was 1 MB of JavaScript instead of about 0.4 MB.
    minify: true,
    chunkSizeWarningLimit: 1024,
    rollupOptions: { input: RENDERER_INPUT },
  },
});
