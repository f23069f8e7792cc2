/**
 * Serves the built renderer (out/renderer) read-only: known content types, no directory listing,
 * no path escaping the root, index.html for the bare path.
 */
import { readFile, realpath, stat } from 'node:fs/promises';
import { extname, join, resolve, sep } from 'node:path';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.txt': 'text/plain; charset=utf-8',
};

export function contentTypeFor(path: string): string {
  return CONTENT_TYPES[extname(path).toLowerCase()] ?? 'application/octet-stream';
}

/**
 * Maps a URL path to a file under root, or null when it would leave root or is malformed.
 * "/" maps to index.html.
 */
export function resolveStaticPath(root: string, urlPath: string): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return null;
  const rel = decoded === '/' || decoded === '' ? 'index.html' : decoded.replace(/^\/+/, '');
  const absRoot = resolve(root);
  const abs = resolve(join(absRoot, rel));
  if (abs !== absRoot && !abs.startsWith(absRoot + sep)) return null;
  return abs;
}

export interface StaticFile {
  body: Buffer;
  contentType: string;
  /** Hashed asset names can be cached for long; index.html must be revalidated. */
  immutable: boolean;
}

export async function loadStaticFile(root: string, urlPath: string): Promise<StaticFile | null> {
  const abs = resolveStaticPath(root, urlPath);
  if (abs === null) return null;
  try {
    // A symlink inside the root may point anywhere: what is served must really live under the root.
    const [realRoot, realFile] = await Promise.all([realpath(root), realpath(abs)]);
    if (!realFile.startsWith(realRoot + sep)) return null;
    const st = await stat(realFile);
    if (!st.isFile()) return null;
    const body = await readFile(realFile);
    return { body, contentType: contentTypeFor(abs), immutable: /[/\\]assets[/\\]/.test(abs) };
  } catch {
    return null;
  }
}
