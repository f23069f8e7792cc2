#!/usr/bin/env node
// `hashdeck` bin entry: runs the TypeScript CLI through tsx (installed as a dependency).
const { spawnSync } = require('node:child_process');
const path = require('node:path');
const cli = path.join(__dirname, '..', 'src-main', 'cli.ts');
const tsx = require.resolve('tsx/cli');
const r = spawnSync(process.execPath, [tsx, cli, ...process.argv.slice(2)], { stdio: 'inherit' });
process.exit(r.status === null ? 1 : r.status);
