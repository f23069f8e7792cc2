/**
 * Commands from MQTT (`hashdeck/<node_id>/<device>/command`, payload pause | resume | restart,
 * what the Home Assistant buttons send). They are engine writes: refused unless the engine runs with
 * --allow-writes, and the answer goes to `<device>/command/result` either way. The command is
 * built and checked against the EngineApi contract like any client's.
 */
import { engineCommandSchema, type EngineCommand } from '@shared/contract';

export const MQTT_ACTIONS = ['pause', 'resume', 'restart'] as const;
export type MqttAction = (typeof MQTT_ACTIONS)[number];

export interface CommandOutcome {
  deviceId: string;
  ok: boolean;
  /** What was done or why not. */
  message: string;
}

/** The EngineCommand an action on a board becomes (checked against the contract by the caller). */
function engineCommandFor(action: MqttAction, boardId: string): unknown {
  switch (action) {
    case 'restart':
      return { type: 'restartBoard', boardId };
    case 'pause':
      return { type: 'pauseBoards', boardIds: [boardId] };
    case 'resume':
      return { type: 'resumeBoards', boardIds: [boardId] };
  }
}

export interface CommandContext {
  allowWrites: boolean;
  /** Topic device id → board id (null: no such board). */
  boardFor(deviceId: string): string | null;
  run(command: EngineCommand): Promise<unknown>;
}

/** The device id of a command topic under `base`, or null when the topic is not one. */
export function commandDevice(base: string, topic: string): string | null {
  const m = topic.startsWith(`${base}/`) ? /^([^/]+)\/command$/.exec(topic.slice(base.length + 1)) : null;
  return m ? m[1]! : null;
}

export async function handleCommand(deviceId: string, payload: string, ctx: CommandContext): Promise<CommandOutcome> {
  const action = payload.trim().toLowerCase();
  if (!ctx.allowWrites) return { deviceId, ok: false, message: 'refused: writes are not allowed (start HashDeck with --allow-writes)' };
  if (!(MQTT_ACTIONS as readonly string[]).includes(action)) return { deviceId, ok: false, message: `unknown command "${action.slice(0, 32)}" (use ${MQTT_ACTIONS.join(', ')})` };
  const boardId = ctx.boardFor(deviceId);
  if (boardId === null) return { deviceId, ok: false, message: `no board "${deviceId.slice(0, 64)}"` };
  const parsed = engineCommandSchema.safeParse(engineCommandFor(action as MqttAction, boardId));
  if (!parsed.success) return { deviceId, ok: false, message: `this engine cannot ${action} a board yet` };
  try {
    await ctx.run(parsed.data);
    return { deviceId, ok: true, message: `${action} ${boardId}: done` };
  } catch (err) {
    return { deviceId, ok: false, message: `${action} ${boardId} failed: ${(err as Error).message}` };
  }
}
