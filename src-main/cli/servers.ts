/**
 * The listeners a headless engine can offer: the web dashboard + JSON API + WebSocket (--http,
 * with AxeOS-style /api/system/info and, with --metrics, Prometheus /metrics) and the
 * cgminer-compatible API (--cgminer-api). All bind loopback unless a token is given. The web
 * dashboard is read-only unless --allow-writes; the cgminer API stays read-only. Each is loaded
 * only when asked for, so a plain `mine` does not carry the WebSocket and metrics libraries.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Engine } from '../engine/engine.js';
import type { HttpRoute } from '../api/http/server.js';
import type { MineOptions } from './args.js';
import { rendererDir } from '../runtime/runtime-files.js';
import { UsageError } from './usage-error.js';

/**
 * `HASHDECK_REQUEST_TIMEOUT_MS`: how long a client of the web server (its request headers) or of the
 * cgminer API (its request) may take, instead of 10 s and 5 s. Tests shorten it (docs/cli.md §7).
 */
export function requestTimeoutFromEnv(env: NodeJS.ProcessEnv = process.env): number | undefined {
  const text = env.HASHDECK_REQUEST_TIMEOUT_MS;
  if (text === undefined || text === '') return undefined;
  const ms = Number(text);
  if (!Number.isInteger(ms) || ms < 100 || ms > 600_000) throw new UsageError(`HASHDECK_REQUEST_TIMEOUT_MS must be a whole number of milliseconds from 100 to 600000, got "${text.slice(0, 40)}"`);
  return ms;
}

export interface RunningServers {
  httpUrl: string | null;
  cgminerPort: number | null;
  close(): Promise<void>;
}

export async function startServers(
  engine: Engine,
  opts: Pick<MineOptions, 'http' | 'metrics' | 'cgminerApi' | 'apiToken'> & Partial<Pick<MineOptions, 'allowWrites'>>,
  limits: { requestTimeoutMs?: number | undefined } = {},
): Promise<RunningServers> {
  const closers: (() => Promise<void>)[] = [];
  const { requestTimeoutMs } = limits;
  let httpUrl: string | null = null;
  let cgminerPort: number | null = null;
  if (opts.http) {
    const staticDir = rendererDir();
    if (!existsSync(path.join(staticDir, 'index.html'))) engine.bus.log('warn', 'http', `the dashboard is not built (${staticDir}); run npm run build — the JSON API still works`);
    const [{ startHttpServer }, { axeosRoutes }] = await Promise.all([import('../api/http/server.js'), import('../api/axeos/routes.js')]);
    const routes: HttpRoute[] = [...(axeosRoutes(engine) as HttpRoute[])];
    if (opts.metrics) {
      const { metricsRoute } = await import('../api/metrics/registry.js');
      routes.push(metricsRoute(engine) as HttpRoute);
    }
    const server = await startHttpServer({
      engine,
      host: opts.http.host,
      port: opts.http.port,
      token: opts.apiToken ?? undefined,
      staticDir,
      // Read-only unless asked: board tests, stats resets and settings changes are writes.
      allowWrites: opts.allowWrites === true,
      routes,
      log: (level, text) => engine.bus.log(level, 'http', text),
      ...(requestTimeoutMs !== undefined ? { headersTimeoutMs: requestTimeoutMs } : {}),
    });
    httpUrl = server.url;
    engine.bus.log(
      'info',
      'http',
      opts.allowWrites
        ? 'the dashboard may run board tests, reset statistics, change settings and restart or re-point AxeOS devices (--allow-writes)'
        : 'the dashboard is read-only (give --allow-writes to run board tests from it)',
    );
    closers.push(() => server.close());
  }
  if (opts.cgminerApi) {
    const { startCgminerApi } = await import('../api/cgminer/server.js');
    const api = await startCgminerApi({
      engine,
      host: opts.cgminerApi.host,
      port: opts.cgminerApi.port,
      token: opts.apiToken ?? undefined,
      log: (level, text) => engine.bus.log(level, 'cgminer-api', text),
      ...(requestTimeoutMs !== undefined ? { requestTimeoutMs } : {}),
    });
    cgminerPort = api.port;
    engine.bus.log('info', 'cgminer-api', `cgminer API on ${opts.cgminerApi.host}:${api.port}`);
    closers.push(() => api.close());
  }
  return {
    httpUrl,
    cgminerPort,
    close: async () => {
      await Promise.all(closers.map((c) => c().catch(() => undefined)));
    },
  };
}
