/**
 * EngineApi: the one contract between the engine and every client (Electron renderer over a
 * MessagePort, the web dashboard over WebSocket, the CLI in-process, the engine child process).
 * Commands go in, a state snapshot and an event stream come out. Every message that crosses a
 * process or network boundary is parsed with these zod schemas.
 */
export * from './snapshot.js';
export * from './diagnostics.js';
export * from './operation.js';
export * from './events.js';
export * from './commands.js';
export * from './messages.js';
export * from './summary.js';
export * from './fleet.js';
export * from './integrations.js';
export { chipModelSchema } from './chip-model-schema.js';
export { logLevelSchema, type LogLevel } from '../log-level.js';
