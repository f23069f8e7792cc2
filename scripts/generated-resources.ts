/** The files `npm run generate` writes, each from its source of truth (listed once, for the generator and its test). */
import { udevRules } from '../src-main/boards/usb-ids.js';
import { posixLauncher, windowsLauncher } from '../src-main/desktop/launcher-scripts.js';

export interface GeneratedResource {
  path: string;
  content: () => string;
  executable?: boolean;
}

export const GENERATED_RESOURCES: readonly GeneratedResource[] = [
  { path: 'resources/udev/99-hashdeck.rules', content: udevRules },
  { path: 'resources/bin/hashdeck', content: posixLauncher, executable: true },
  { path: 'resources/bin/hashdeck.cmd', content: windowsLauncher },
];
