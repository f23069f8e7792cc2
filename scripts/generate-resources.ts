/**
 * `npm run generate`: writes the files generated from the source of truth in src-main —
 * resources/udev/99-hashdeck.rules (boards/usb-ids.ts) and the desktop app's `hashdeck` launchers
 * in resources/bin (desktop/launcher-scripts.ts). Unit tests fail when a committed file differs.
 * `--check` only compares (exit 1 on a difference).
 */
import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { GENERATED_RESOURCES } from './generated-resources.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const check = process.argv.includes('--check');
let stale = 0;
for (const r of GENERATED_RESOURCES) {
  const file = path.join(ROOT, r.path);
  const want = r.content();
  let have: string | null = null;
  try {
    have = readFileSync(file, 'utf8');
  } catch {
    have = null;
  }
  if (have === want) continue;
  if (check) {
    process.stderr.write(`${r.path} is not what npm run generate makes\n`);
    stale++;
    continue;
  }
  writeFileSync(file, want);
  if (r.executable) chmodSync(file, 0o755);
  process.stdout.write(`wrote ${r.path}\n`);
}
process.exit(stale > 0 ? 1 : 0);
