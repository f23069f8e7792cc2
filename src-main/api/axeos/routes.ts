/**
 * AxeOS-compatible JSON routes, so that tools built for Bitaxe firmware (pyasic's ESP-Miner
 * backend, Swarm pages, exporters, Home Assistant) can read each board (docs/features.md §(e)2).
 * `/api/system/info` answers for one board: `?board=<id>` selects it, the first board otherwise.
 * `/api/boards/<id>/system/info` addresses a board by id. Read-only.
 */
import { hostname } from 'node:os';
import type { EngineApi } from '@shared/contract';
import { matchPath, requestUrl, sendJson, type ApiRoute } from './route.js';
import { networkMinersRoute } from './network-miners.js';
import { systemInfo } from './system-info.js';

export const SYSTEM_INFO_PATH = '/api/system/info';
export const BOARD_SYSTEM_INFO_PATH = '/api/boards/:id/system/info';

export interface AxeosOptions {
  /** Host name reported in `hostname` (default: this machine's). */
  hostname?: string;
}

export function axeosRoutes(engine: EngineApi, options: AxeosOptions = {}): ApiRoute[] {
  const host = options.hostname ?? hostname();
  const answer = (res: Parameters<ApiRoute['handler']>[1], boardId: string | null): void => {
    const snapshot = engine.snapshot();
    if (snapshot.boards.length === 0) {
      sendJson(res, 503, { error: 'no boards are connected yet' });
      return;
    }
    const board = boardId === null ? snapshot.boards[0] : snapshot.boards.find((b) => b.id === boardId);
    if (!board) {
      sendJson(res, 404, { error: `no board with id "${boardId}"`, boards: snapshot.boards.map((b) => b.id) });
      return;
    }
    sendJson(res, 200, systemInfo(snapshot, board, { hostname: host }));
  };
  return [
    networkMinersRoute(engine),
    {
      method: 'GET',
      path: SYSTEM_INFO_PATH,
      handler(req, res) {
        answer(res, requestUrl(req).searchParams.get('board'));
      },
    },
    {
      method: 'GET',
      path: BOARD_SYSTEM_INFO_PATH,
      handler(req, res) {
        const params = matchPath(BOARD_SYSTEM_INFO_PATH, requestUrl(req).pathname);
        if (!params?.['id']) {
          sendJson(res, 400, { error: 'board id missing from the path' });
          return;
        }
        answer(res, params['id']);
      },
    },
  ];
}
