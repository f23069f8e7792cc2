// Worker entry when HashDeck runs from TypeScript source (tsx, vitest): register tsx's CommonJS
// loader in this thread (the package is CommonJS-typed, as tsx runs it), then load the real worker
// body. Compiled builds start hash-worker.js directly.
const { workerData } = require('node:worker_threads');
const { fileURLToPath } = require('node:url');

require('tsx/cjs/api').register();
require(fileURLToPath(workerData.entryUrl));
