import { afterEach, describe, expect, it, vi } from 'vitest';
import { openEarlySocket, takeEarlySocket } from '../../../src-renderer/src/state/early-socket.js';
import { createWebSocketTransport } from '../../../src-renderer/src/state/transport.js';

/** Just enough of a browser WebSocket: listeners, on* handlers, readyState. */
class FakeSocket extends EventTarget {
  static readonly CONNECTING = 0;
  static readonly OPEN = 1;
  static readonly CLOSING = 2;
  static readonly CLOSED = 3;
  static made: FakeSocket[] = [];
  readyState = FakeSocket.CONNECTING;
  onopen: ((ev: Event) => void) | null = null;
  onmessage: ((ev: MessageEvent) => void) | null = null;
  onclose: ((ev: CloseEvent) => void) | null = null;
  sent: string[] = [];
  constructor(readonly url: string) {
    super();
    FakeSocket.made.push(this);
  }
  open(): void {
    this.readyState = FakeSocket.OPEN;
    const ev = new Event('open');
    this.dispatchEvent(ev);
    this.onopen?.(ev);
  }
  receive(data: string): void {
    const ev = new MessageEvent('message', { data });
    this.dispatchEvent(ev);
    this.onmessage?.(ev);
  }
  send(data: string): void {
    this.sent.push(data);
  }
  close(): void {
    this.readyState = FakeSocket.CLOSED;
  }
}

const page = (protocol: string, extra: Record<string, unknown> = {}) => ({ location: { protocol, host: '127.0.0.1:8080' }, ...extra }) as unknown as Window;
const snapshotLine = (n: number) => JSON.stringify({ kind: 'event', event: { type: 'log', atMs: n, level: 'info', scope: 'test', text: `line ${n}` } });

afterEach(() => {
  vi.unstubAllGlobals();
  FakeSocket.made = [];
});

describe('the early WebSocket', () => {
  it('is opened only for a page served over http(s) without the Electron bridge', () => {
    vi.stubGlobal('WebSocket', FakeSocket);
    const electron = page('file:', { hashdeck: {} });
    openEarlySocket(electron);
    openEarlySocket(page('file:'));
    expect(FakeSocket.made).toHaveLength(0);
    const web = page('https:');
    openEarlySocket(web);
    expect(FakeSocket.made.map((s) => s.url)).toEqual(['wss://127.0.0.1:8080/ws']);
  });

  it('is handed over once, with what arrived before, and stops collecting then', () => {
    vi.stubGlobal('WebSocket', FakeSocket);
    const win = page('http:');
    openEarlySocket(win);
    const sock = FakeSocket.made[0]!;
    sock.open();
    sock.receive('a');
    sock.receive('b');
    const taken = takeEarlySocket('ws://127.0.0.1:8080/ws', win);
    expect(taken?.socket).toBe(sock);
    expect(taken?.backlog).toEqual(['a', 'b']);
    sock.receive('c');
    expect(taken?.backlog).toEqual(['a', 'b']);
    expect(takeEarlySocket('ws://127.0.0.1:8080/ws', win)).toBeNull();
  });

  it('a closed one is not used', () => {
    vi.stubGlobal('WebSocket', FakeSocket);
    const win = page('http:');
    openEarlySocket(win);
    FakeSocket.made[0]!.close();
    expect(takeEarlySocket('ws://127.0.0.1:8080/ws', win)).toBeNull();
  });

  it('the transport adopts it: open state at once, earlier messages first and in order', () => {
    vi.stubGlobal('WebSocket', FakeSocket);
    vi.stubGlobal('window', page('http:'));
    openEarlySocket(window);
    const sock = FakeSocket.made[0]!;
    sock.open();
    sock.receive(snapshotLine(1));
    sock.receive(snapshotLine(2));
    const states: string[] = [];
    const seen: number[] = [];
    const t = createWebSocketTransport('ws://127.0.0.1:8080/ws', {
      onState: (s) => states.push(s),
      onMessage: (m) => seen.push(m.kind === 'event' && m.event.type === 'log' ? m.event.atMs : -1),
      onInvalid: (reason) => {
        throw new Error(reason);
      },
    });
    expect(FakeSocket.made).toHaveLength(1);
    expect(states).toEqual(['connecting', 'open']);
    sock.receive(snapshotLine(3));
    expect(seen).toEqual([1, 2, 3]);
    void t.request({ type: 'getSnapshot' }).catch(() => undefined);
    expect(sock.sent).toHaveLength(1);
    t.close();
  });
});
