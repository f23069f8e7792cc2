import { EventEmitter } from 'node:events';
import type { Socket } from 'node:net';
import { describe, expect, it } from 'vitest';
import { ConnectionLimit } from '../../../src-main/api/connection-limit.js';

class FakeSocket extends EventEmitter {
  destroyed = false;
  constructor(readonly name: string) {
    super();
  }
  destroy(): this {
    if (!this.destroyed) {
      this.destroyed = true;
      this.emit('close');
    }
    return this;
  }
}

const sock = (name: string): Socket & FakeSocket => new FakeSocket(name) as unknown as Socket & FakeSocket;

describe('connection limit', () => {
  it('below the cap, everything is admitted', () => {
    const limit = new ConnectionLimit({ max: 3 });
    const s = [sock('a'), sock('b'), sock('c')];
    expect(s.map((x) => limit.admit(x))).toEqual([true, true, true]);
    expect(limit.size).toBe(3);
    s[1]!.destroy();
    expect(limit.size).toBe(2);
  });

  it('at the cap, the oldest connection that sent no request makes room, then the oldest idle one', () => {
    const said: string[] = [];
    let now = 0;
    const limit = new ConnectionLimit({ max: 3, onPressure: (t) => said.push(t), nowMs: () => now });
    const [busy, idle, waiting] = [sock('busy'), sock('idle'), sock('waiting')];
    for (const s of [busy, idle, waiting]) limit.admit(s);
    limit.mark(busy, 'busy');
    limit.mark(idle, 'idle');
    const first = sock('new1');
    expect(limit.admit(first)).toBe(true);
    expect(waiting.destroyed).toBe(true);
    expect([busy.destroyed, idle.destroyed]).toEqual([false, false]);
    limit.mark(first, 'busy');
    const second = sock('new2');
    expect(limit.admit(second)).toBe(true);
    expect(idle.destroyed).toBe(true);
    expect(said).toEqual(['connection limit (3) reached: dropped 1 connection(s) that sent no request']);
    // Every held connection busy: the newcomer is refused, and that is said (a minute later).
    limit.mark(second, 'busy');
    now = 61_000;
    const third = sock('new3');
    expect(limit.admit(third)).toBe(false);
    expect(third.destroyed).toBe(true);
    expect(said[1]).toBe('connection limit (3) reached: dropped 1 connection(s) that sent no request, refused 1 new one(s) (all busy)');
    expect(limit.size).toBe(3);
  });

  it('a flood of silent connections never shuts out the newest one', () => {
    const limit = new ConnectionLimit({ max: 10 });
    const flood = Array.from({ length: 1000 }, (_, i) => sock(`s${i}`));
    for (const s of flood) expect(limit.admit(s)).toBe(true);
    expect(limit.size).toBe(10);
    expect(flood.slice(-10).every((s) => !s.destroyed)).toBe(true);
    expect(flood.slice(0, 990).every((s) => s.destroyed)).toBe(true);
  });
});
