/**
 * Keeps V8's young generation at its starting size (semi-spaces of 1 MB) in the engine's process,
 * from inside it: one process, no re-exec. The engine allocates little that lives, yet Node's
 * default lets the young generation grow to 16 MB semi-spaces, which was most of its resident
 * memory above what it uses (bench/startup.bench.ts, bench/engine.bench.ts).
 *
 * `--max-semi-space-size` is fixed when the heap is made, so it only works on the command line
 * (the systemd unit sets it); the growth factor is read each time the young generation would grow,
 * so setting it to 1 here, before the engine's modules load, has the same effect. A size given on
 * the command line or in NODE_OPTIONS is left alone.
 */
import { setFlagsFromString } from 'node:v8';

const chosen = [...process.execArgv, process.env['NODE_OPTIONS'] ?? ''].some((a) => /--(max|min)-semi-space-size|--semi-space-growth-factor/.test(a));
if (!chosen) setFlagsFromString('--semi-space-growth-factor=1');
