import { describe, expect, it } from 'vitest';
import { REDACTED, Redactor, safeUrlLabel } from '../../../src-main/notify/redact.js';

describe('Redactor', () => {
  it('replaces every secret, the whole URL before the token inside it, and its decoded form', () => {
    const r = new Redactor();
    r.add('https://discord.example/api/webhooks/1/tok%2Fen', 'tok/en-long', 'abc');
    expect(r.redact('POST https://discord.example/api/webhooks/1/tok%2Fen failed')).toBe(`POST ${REDACTED} failed`);
    expect(r.redact('token tok/en-long leaked')).toBe(`token ${REDACTED} leaked`);
    expect(r.redact('abc stays: too short to be a secret')).toContain('abc');
  });

  it('labels a URL by scheme and host only', () => {
    expect(safeUrlLabel('https://ntfy.sh/my-private-topic?x=1')).toBe('https://ntfy.sh');
    expect(safeUrlLabel('mqtt://user:pw@127.0.0.1:1883')).toBe('mqtt://127.0.0.1:1883');
    expect(safeUrlLabel('not a url')).toBe(REDACTED);
  });
});
