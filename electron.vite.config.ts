import { defineConfig } from 'electron-vite';
import { resolve } from 'node:path';
import renderer from './src-renderer/vite.config';

const shared = { '@shared': resolve(__dirname, 'src-shared') };

// Main process bundle: the thin Electron shell (main.js), the engine that runs in a
// utilityProcess (engine.js), the headless CLI (cli.js, run by bin/hashdeck.js and by the packaged
// app as Node) and the emulator's hashing worker. Every entry lands in out/main (files loaded at run
// time are found from there: src-main/runtime/runtime-files.ts); shared code and the CLI's
// commands, imported dynamically, become chunks in out/main/chunks, so `hashdeck --help` loads
// little. Native modules and node_modules stay external.
export default defineConfig({
  main: {
    resolve: { alias: shared },
    build: {
      outDir: 'out/main',
      externalizeDeps: true,
      rollupOptions: {
        input: {
          main: resolve(__dirname, 'src-main/main.ts'),
          engine: resolve(__dirname, 'src-main/engine/process.ts'),
          cli: resolve(__dirname, 'src-main/cli.ts'),
          // The emulator hashes in a worker thread; it loads this file next to engine.js.
          'hash-worker': resolve(__dirname, 'src-main/emulator/hash-worker.ts'),
        },
      },
    },
  },
  preload: {
    resolve: { alias: shared },
    build: {
      outDir: 'out/preload',
      rollupOptions: { input: { preload: resolve(__dirname, 'src-main/preload.ts') } },
    },
  },
  renderer: {
    ...renderer,
    build: { ...renderer.build, outDir: resolve(__dirname, 'out/renderer') },
  },
});
