import { defineConfig } from 'electron-vite';
import react from '@vitejs/plugin-react';
import { resolve } from 'node:path';

// Main process bundle: the thin Electron shell (main.js), the engine that runs in a
// utilityProcess (engine.js) and the emulator's hashing worker. Native modules and node_modules stay external.
export default defineConfig({
  main: {
    build: {
      outDir: 'out/main',
      externalizeDeps: true,
      rollupOptions: {
        input: {
          main: resolve(__dirname, 'src-main/main.ts'),
          engine: resolve(__dirname, 'src-main/engine/process.ts'),
          // The emulator hashes in a worker thread; it loads this file next to engine.js.
          'hash-worker': resolve(__dirname, 'src-main/emulator/hash-worker.ts'),
        },
      },
    },
  },
  preload: {
    build: {
      outDir: 'out/preload',
      rollupOptions: { input: { preload: resolve(__dirname, 'src-main/preload.ts') } },
    },
  },
  renderer: {
    root: resolve(__dirname, 'src-renderer'),
    base: './',
    plugins: [react()],
    build: {
      outDir: resolve(__dirname, 'out/renderer'),
      rollupOptions: { input: resolve(__dirname, 'src-renderer/index.html') },
    },
  },
});
