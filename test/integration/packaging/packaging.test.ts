/**
 * Packaging files: electron-builder.yml passes electron-builder's own schema and packs what the app
 * and its headless command need; the .deb scripts, the launchers, the udev rules and the systemd
 * unit say what the README promises; the npm package's file list holds what a global install needs.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { udevRules } from '../../../src-main/boards/usb-ids.js';
import { LINUX_EXECUTABLE, MAC_EXECUTABLE, WINDOWS_EXECUTABLE } from '../../../src-main/desktop/launcher-scripts.js';
import { ROOT } from '../../helpers/cli.js';

const require = createRequire(import.meta.url);
const read = (p: string) => readFileSync(path.join(ROOT, p), 'utf8');

/** electron-builder 26's default deb dependencies (app-builder-lib LinuxTargetHelper/FpmTarget getDefaultDepends). */
const ELECTRON_BUILDER_DEB_DEFAULTS = ['libgtk-3-0', 'libnotify4', 'libnss3', 'libxss1', 'libxtst6', 'xdg-utils', 'libatspi2.0-0', 'libuuid1', 'libsecret-1-0'];

describe('packaging', () => {
  it('electron-builder.yml is valid for electron-builder and packs what the app and its headless command need', async () => {
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
    for (const [from, to] of [
      ['resources/udev', 'udev'],
      ['resources/systemd', 'systemd'],
      ['resources/icons', 'icons'],
      ['resources/bin', 'bin'],
    ]) {
      expect(cfg.extraResources).toContainEqual({ from, to });
    }
    // The launchers find the binaries electron-builder names.
    expect(cfg.executableName).toBe(LINUX_EXECUTABLE);
    expect(`${cfg.executableName}.exe`).toBe(WINDOWS_EXECUTABLE);
    expect(cfg.productName).toBe(MAC_EXECUTABLE);
    // depends replaces electron-builder's list: every default stays.
    for (const dep of ELECTRON_BUILDER_DEB_DEFAULTS) expect(cfg.deb.depends).toContain(dep);
    const afterInstall = read(cfg.deb.afterInstall);
    expect(afterInstall).toContain('/etc/udev/rules.d/99-hashdeck.rules');
    expect(afterInstall).toMatch(/ln -sf "\$APP_DIR\/resources\/bin\/hashdeck" \/usr\/bin\/hashdeck/);
    expect(afterInstall).toContain('apparmor-profile');
  });

  it("electron-builder's own default deb list is still the one this project keeps", () => {
    const source = readFileSync(require.resolve('app-builder-lib/out/targets/FpmTarget.js'), 'utf8');
    const defaults = /case "deb":\s*return (\[[^\]]*\])/.exec(source)?.[1];
    expect(defaults, 'electron-builder changed where it keeps its deb defaults').toBeDefined();
    expect(JSON.parse(defaults!)).toEqual(ELECTRON_BUILDER_DEB_DEFAULTS);
  });

  it('the udev rules are the generated ones: group dialout, 0660 and uaccess on every rule', () => {
    const text = read('resources/udev/99-hashdeck.rules');
    expect(text).toBe(udevRules());
    const rules = text.split('\n').filter((l) => l.startsWith('SUBSYSTEM=='));
    const ids = rules.map((l) => /idVendor}=="(\w+)".*idProduct}=="(\w+)"/.exec(l)?.slice(1, 3).join(':'));
    expect(new Set(ids)).toEqual(new Set(['c0de:cafe', 'c0de:caf1', '0403:6015', '10c4:ea70']));
    for (const l of rules) {
      expect(l).toContain('MODE="0660"');
      expect(l).toContain('GROUP="dialout"');
      expect(l).toContain('TAG+="uaccess"');
    }
  });

  it('the systemd unit runs mine with the config file as the hashdeck user; a drop-in points it at a global npm install', () => {
    const unit = read('resources/systemd/hashdeck.service');
    expect(unit).toMatch(/^ExecStart=\/usr\/bin\/hashdeck mine --config \/etc\/hashdeck\/config\.json$/m);
    expect(unit).toMatch(/^User=hashdeck$/m);
    expect(unit).toMatch(/^Restart=on-failure$/m);
    expect(unit).toMatch(/^NoNewPrivileges=true$/m);
    expect(unit).toMatch(/^ProtectSystem=strict$/m);
    const dropIn = read('resources/systemd/hashdeck.service.d/npm-global.conf');
    // An empty ExecStart= first clears the unit's, then the npm prefix's command replaces it.
    expect(dropIn).toMatch(/^ExecStart=\n^ExecStart=\/usr\/local\/bin\/hashdeck mine --config \/etc\/hashdeck\/config\.json$/m);
  });

  it("the npm package's files: the build, the command, resources and the addon's sources, no tests or sources", () => {
    const pkg = JSON.parse(read('package.json')) as { files: string[]; bin: Record<string, string>; dependencies: Record<string, string> };
    expect(pkg.files).toEqual(['out/', 'bin/', 'resources/', 'native/binding.gyp', 'native/src/']);
    expect(pkg.bin['hashdeck']).toBe('bin/hashdeck.js');
    for (const buildOnly of ['tsx', 'esbuild', 'react', 'react-dom', 'zustand', 'uplot', 'electron', 'vite']) expect(pkg.dependencies[buildOnly], buildOnly).toBeUndefined();
  });
});
