#!/usr/bin/env node
// `hashdeck` bin entry: runs the TypeScript CLI in one Node process with tsx's loader (a
// dependency), so signals (SIGINT/SIGTERM, the emulator's SIGUSR1/SIGUSR2) reach it directly.
const { spawnSync } = require('node:child_process');
const path = require('node:path');
const { pathToFileURL } = require('node:url');
const root = path.join(__dirname, '..');
const loader = pathToFileURL(require.resolve('tsx', { paths: [root] })).href;
const cli = path.join(root, 'src-main', 'cli.ts');
const r = spawnSync(process.execPath, ['--import', loader, cli, ...process.argv.slice(2)], { stdio: 'inherit' });
process.exit(r.status === null ? 1 : r.status);
