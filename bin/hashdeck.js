#!/usr/bin/env node
// `hashdeck` command (npm bin): runs the built CLI (out/main/cli.js, from `npm run build`) in this
// very process, so SIGINT/SIGTERM from a shell or a supervisor (systemd) reach the engine that
// handles them, and nothing is compiled at run time. `npm run dev:cli` runs the TypeScript source.
const path = require('node:path');
const { existsSync } = require('node:fs');

const cli = path.join(__dirname, '..', 'out', 'main', 'cli.js');
if (!existsSync(cli)) {
  process.stderr.write(`hashdeck: the CLI is not built (${cli} is missing); run npm run build first.\n`);
  process.exit(2);
}
require(cli);
