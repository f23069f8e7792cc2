/**
 * The route shape the monitoring surfaces hand to the web server (src-main/api/http/server.ts
 * mounts them). `path` may hold `:name` segments; handlers read their own parameters from
 * `req.url`, so a server that matches by exact path or by pattern both work.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

export interface ApiRoute {
  method: 'GET';
  path: string;
  handler(req: IncomingMessage, res: ServerResponse): void | Promise<void>;
}

/** Matches a request path against a route pattern; returns the `:name` parameters or null. */
export function matchPath(pattern: string, pathname: string): Record<string, string> | null {
  const want = pattern.split('/');
  const got = pathname.split('/');
  if (want.length !== got.length) return null;
  const params: Record<string, string> = {};
  for (let i = 0; i < want.length; i++) {
    const w = want[i] ?? '';
    const g = got[i] ?? '';
    if (w.startsWith(':')) {
      if (g === '') return null;
      try {
        params[w.slice(1)] = decodeURIComponent(g);
      } catch {
        return null;
      }
    } else if (w !== g) return null;
  }
  return params;
}

/** The first route for this method and path, with its parameters. */
export function findRoute(routes: readonly ApiRoute[], method: string, pathname: string): { route: ApiRoute; params: Record<string, string> } | null {
  for (const route of routes) {
    if (route.method !== method && !(method === 'HEAD' && route.method === 'GET')) continue;
    const params = matchPath(route.path, pathname);
    if (params) return { route, params };
  }
  return null;
}

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'cache-control': 'no-store',
    'content-length': Buffer.byteLength(text),
  });
  res.end(text);
}

/** The request URL parsed against a dummy origin (only path and query are used). */
export function requestUrl(req: IncomingMessage): URL {
  return new URL(req.url ?? '/', 'http://localhost');
}
