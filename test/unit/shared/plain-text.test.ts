import { describe, expect, it } from 'vitest';
import { EventBus } from '@shared/bus.js';
import type { EngineEvent } from '@shared/contract';
import { plainText } from '@shared/plain-text.js';

describe('plain text from outside', () => {
  it('escapes ESC sequences, CR, LF, TAB, DEL, C1 codes and bidi overrides visibly', () => {
    expect(plainText('\u001b[31mred\u001b[0m')).toBe('\\x1b[31mred\\x1b[0m');
    expect(plainText('line\r\n2026-12-06 BLOCK found')).toBe('line\\x0d\\x0a2026-12-06 BLOCK found');
    expect(plainText('a\tb\u007fc\u009bd')).toBe('a\\x09b\\x7fc\\x9bd');
    expect(plainText('abc\u202edcba')).toBe('abc\\u202edcba');
  });

  it('leaves ordinary text (accents, emoji, CJK) as it is, and the same string object', () => {
    const s = 'Pool says: Bonne chance ⛏ 矿池 — 12.5 %';
    expect(plainText(s)).toBe(s);
  });

  it('every text on the bus is plain by the time a listener sees it', () => {
    const bus = new EventBus();
    const seen: EngineEvent[] = [];
    bus.onAny((e) => seen.push(e));
    bus.log('warn', 'stratum', 'message from pool: hi\n2026-12-06T00:00:00Z error engine BLOCK found');
    bus.emit({ type: 'share', atMs: 1, boardId: 'b', pool: 'p', difficulty: 1, targetDifficulty: 1, result: 'rejected', reason: 'low\u001b[2Jdiff', responseMs: null });
    bus.emit({ type: 'pool', atMs: 1, url: 'u', state: 'backoff', detail: 'closed\r' });
    const texts = JSON.stringify(seen);
    expect(texts).not.toMatch(/\\n2026|\\u001b|\\r"/);
    expect(seen[0]).toMatchObject({ text: 'message from pool: hi\\x0a2026-12-06T00:00:00Z error engine BLOCK found' });
    expect(seen[1]).toMatchObject({ reason: 'low\\x1b[2Jdiff' });
    expect(seen[2]).toMatchObject({ detail: 'closed\\x0d' });
  });
});
