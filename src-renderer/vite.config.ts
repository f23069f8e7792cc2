/**
 * The renderer's build: used by electron-vite (electron.vite.config.ts spreads it) and on its own
 * (`npx vite build --config src-renderer/vite.config.ts`, the browser tests). Output: out/renderer,
 * relative asset paths so that it loads from file:// in Electron and from / on the web server.
 */
import { fileURLToPath } from 'node:url';
import { dirname, resolve } from 'node:path';
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

const root = dirname(fileURLToPath(import.meta.url));

export default defineConfig({
  root,
  base: './',
  plugins: [react()],
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
  },
});
