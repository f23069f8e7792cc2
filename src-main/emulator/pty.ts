/** PTY mode of the emulator (public entry): a virtual board behind a pseudo-terminal. */
export { runEmulatorPty, type EmulatorPty } from './run-pty.js';
export { emulateCommand, type EmulateCommandOptions } from './emulate-command.js';
export { openPtyPair, type PtyPair } from './pty-pair.js';
