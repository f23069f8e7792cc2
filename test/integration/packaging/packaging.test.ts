/** Packaging files: electron-builder.yml passes electron-builder's own schema; udev and systemd files say what the docs promise. */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const require = createRequire(import.meta.url);
const read = (p: string) => readFileSync(path.join(ROOT, p), 'utf8');

describe('packaging', () => {
  it('electron-builder.yml is valid for electron-builder and packs what the app needs', async () => {
    const yaml = require('js-yaml') as { load(text: string): any };
    const { validateConfiguration } = require('app-builder-lib/out/util/config/config') as { validateConfiguration(c: unknown, l: unknown): Promise<void> };
    const { DebugLogger } = require('builder-util') as { DebugLogger: new (enabled: boolean) => unknown };
    const cfg = yaml.load(read('electron-builder.yml'));
    await expect(validateConfiguration(cfg, new DebugLogger(false))).resolves.toBeUndefined();
    expect(cfg.productName).toBe('HashDeck');
    expect(cfg.files).toContain('out/**');
    expect(cfg.npmRebuild).toBe(true);
    expect(cfg.asarUnpack).toContain('**/*.node');
    expect(cfg.linux.target).toEqual(['AppImage', 'deb']);
    expect(cfg.mac.target).toBe('dmg');
    expect(cfg.win.target).toBe('nsis');
    expect(cfg.extraResources).toContainEqual({ from: 'resources/udev', to: 'udev' });
    expect(read(cfg.deb.afterInstall)).toContain('/etc/udev/rules.d/99-hashdeck.rules');
  });

  it('udev rules cover the bridges with group dialout, 0660 and uaccess', () => {
    const rules = read('resources/udev/99-hashdeck.rules')
      .split('\n')
      .filter((l) => l.startsWith('SUBSYSTEM=='));
    const ids = rules.map((l) => /idVendor}=="(\w+)".*idProduct}=="(\w+)"/.exec(l)?.slice(1, 3).join(':'));
    expect(ids).toEqual(['c0de:cafe', '10c4:ea60', '10c4:ea70', '0403:6015']);
    for (const l of rules) {
      expect(l).toContain('MODE="0660"');
      expect(l).toContain('GROUP="dialout"');
      expect(l).toContain('TAG+="uaccess"');
    }
  });

  it('the systemd unit runs mine with the config file as the hashdeck user and restarts on failure', () => {
    const unit = read('resources/systemd/hashdeck.service');
    expect(unit).toMatch(/^ExecStart=\/usr\/bin\/hashdeck mine --config \/etc\/hashdeck\/config\.json$/m);
    expect(unit).toMatch(/^User=hashdeck$/m);
    expect(unit).toMatch(/^Restart=on-failure$/m);
    expect(unit).toMatch(/^NoNewPrivileges=true$/m);
    expect(unit).toMatch(/^ProtectSystem=strict$/m);
  });
});
