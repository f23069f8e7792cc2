/**
 * The dashboard's WebSocket, opened by the page's first, tiny script (src/early.ts) while the app's
 * own modules still load and run: the engine's first snapshot is then on its way, or already here,
 * when the app is ready to draw it (bench/dashboard.bench.ts). The transport adopts the socket and
 * the messages it has received so far; it opens its own when there is none (the Electron window
 * talks through its bridge and never opens one).
 */
import { webSocketUrl } from './socket-url.js';

export interface EarlySocket {
  socket: WebSocket;
  /** Messages received before the transport took the socket over (null once it did). */
  backlog: unknown[] | null;
}

declare global {
  interface Window {
    __hashdeckEarlySocket?: EarlySocket;
  }
}

export function openEarlySocket(win: Window = window): void {
  if ((win as { hashdeck?: unknown }).hashdeck || (win.location.protocol !== 'http:' && win.location.protocol !== 'https:')) return;
  const early: EarlySocket = { socket: new WebSocket(webSocketUrl(win.location)), backlog: [] };
  early.socket.addEventListener('message', (ev: MessageEvent) => early.backlog?.push(ev.data));
  win.__hashdeckEarlySocket = early;
}

/** The early socket for `url` if it is still usable, with what it received so far; it is handed over once. */
export function takeEarlySocket(url: string, win: Window = window): { socket: WebSocket; backlog: unknown[] } | null {
  const early = win.__hashdeckEarlySocket;
  delete win.__hashdeckEarlySocket;
  if (!early || early.backlog === null) return null;
  const backlog = early.backlog;
  early.backlog = null;
  const usable = early.socket.url === url && (early.socket.readyState === WebSocket.CONNECTING || early.socket.readyState === WebSocket.OPEN);
  if (!usable) {
    early.socket.close();
    return null;
  }
  return { socket: early.socket, backlog };
}
