import { describe, expect, it } from 'vitest';
import { loadVector } from '../../../helpers/vectors.js';
import { configureResultSchema, parseMinerRequest, parsePoolMessage, parseRejectReason, subscribeResultSchema, type PoolMessage } from '../../../../src-main/work/stratum/messages.js';

interface Case {
  name: string;
  line: string;
  expect: Record<string, unknown>;
}
const vectors = loadVector<{ cases: Case[]; handshake_examples: { public_pool_replies: Record<string, string> } }>('stratum-messages.json');

function byName(fragment: string): Case {
  const c = vectors.cases.find((v) => v.name.startsWith(fragment));
  if (!c) throw new Error(`no vector ${fragment}`);
  return c;
}

function ok(line: string): PoolMessage {
  const r = parsePoolMessage(line);
  if (!r.ok) throw new Error(`expected to parse: ${r.error}`);
  return r.value;
}

describe('stratum-messages.json vectors', () => {
  it('has the 29 documented cases', () => {
    expect(vectors.cases.length).toBe(29);
  });

  it('every case parses as documented', () => {
    let checked = 0;
    for (const c of vectors.cases) {
      const e = c.expect;
      if (e.note === 'request' || 'worker' in e) {
        const r = parseMinerRequest(c.line);
        expect(r.ok, c.name).toBe(true);
        checked++;
        continue;
      }
      const r = parsePoolMessage(c.line);
      if (e.parse_ok === false) {
        // A subscribe reply without extranonce2_size is a valid response whose result is malformed.
        if (r.ok && r.value.kind === 'response') {
          expect(subscribeResultSchema.safeParse(r.value.response.result).success, c.name).toBe(false);
        } else {
          expect(r.ok, c.name).toBe(false);
        }
        checked++;
        continue;
      }
      expect(r.ok, `${c.name}: ${r.ok ? '' : r.error}`).toBe(true);
      if (!r.ok) continue;
      const m = r.value;
      if ('method' in e && e.method === 'mining.notify') {
        if (m.kind !== 'notify') throw new Error(c.name);
        expect(m.params.jobId).toBe(e.job_id);
        expect(m.params.prevHashHex).toBe(e.prevhash);
        expect(m.params.versionHex).toBe(e.version_hex);
        expect(m.params.nbitsHex).toBe(e.nbits_hex);
        expect(m.params.ntimeHex).toBe(e.ntime_hex);
        expect(m.params.cleanJobs).toBe(e.clean_jobs);
        expect(m.params.merkleBranchesHex.length).toBe(e.merkle_branch_count);
      } else if ('clean_jobs' in e) {
        if (m.kind !== 'notify') throw new Error(c.name);
        expect(m.params.cleanJobs).toBe(e.clean_jobs);
      } else if ('difficulty' in e) {
        expect(m).toEqual({ kind: 'set_difficulty', difficulty: e.difficulty });
      } else if ('extranonce1' in e && m.kind === 'set_extranonce') {
        expect(m.extranonce1Hex).toBe(e.extranonce1);
        expect(m.extranonce2Size).toBe(e.extranonce2_size);
      } else if ('extranonce1' in e) {
        if (m.kind !== 'response') throw new Error(c.name);
        const sub = subscribeResultSchema.parse(m.response.result);
        expect(sub.extranonce1Hex).toBe(e.extranonce1);
        expect(sub.extranonce2Size).toBe(e.extranonce2_size);
      } else if ('version_mask_hex' in e && m.kind === 'set_version_mask') {
        expect(m.maskHex).toBe(e.version_mask_hex);
        expect(m.mask).toBe(0x1fffe000);
      } else if ('version_mask_hex' in e || 'version_rolling' in e) {
        if (m.kind !== 'response') throw new Error(c.name);
        const cfg = configureResultSchema.parse(m.response.result);
        if ('version_rolling' in e) expect(cfg.versionRolling).toBe(e.version_rolling);
        if ('version_mask_hex' in e) expect(cfg.versionMask).toBe(parseInt(e.version_mask_hex as string, 16));
        if ('minimum_difficulty' in e) expect(cfg.minimumDifficulty).toBe(true);
      } else if ('success' in e) {
        if (m.kind !== 'response') throw new Error(c.name);
        expect(m.response.id).toBe(e.id);
        const reject = parseRejectReason(m.response);
        if (e.success) expect(reject).toBeNull();
        else expect(reject?.reason).toBe(e.reason);
      } else if ('message' in e) {
        expect(m).toEqual({ kind: 'show_message', text: e.message });
      } else if (e.method === 'client.get_version') {
        expect(m).toEqual({ kind: 'get_version', id: 10 });
      } else if (e.method === 'client.reconnect') {
        expect(m).toEqual({ kind: 'reconnect', host: null, port: null, waitS: 0 });
      } else if (e.method === 'mining.ping') {
        expect(m).toEqual({ kind: 'ping', id: null });
      } else {
        throw new Error(`case not covered by the test: ${c.name}`);
      }
      checked++;
    }
    expect(checked).toBe(vectors.cases.length);
  });

  it('submit request keeps every field exactly', () => {
    const c = byName('submit with version bits');
    const r = parseMinerRequest(c.line);
    if (!r.ok || r.value.method !== 'mining.submit') throw new Error('submit did not parse');
    expect(r.value.params).toEqual([c.expect.worker, c.expect.job_id, c.expect.extranonce2, c.expect.ntime, c.expect.nonce, c.expect.version_bits]);
  });

  it("public-pool's replies parse", () => {
    const replies = vectors.handshake_examples.public_pool_replies;
    const sub = ok(replies.subscribe!.replace(/<en1>/g, '0a0b0c0d'));
    if (sub.kind !== 'response') throw new Error('subscribe');
    expect(subscribeResultSchema.parse(sub.response.result)).toEqual({ extranonce1Hex: '0a0b0c0d', extranonce2Size: 4 });
    expect(ok(replies['suggest_difficulty (answered with a NOTIFICATION, not a result)']!)).toEqual({ kind: 'set_difficulty', difficulty: 512 });
  });
});

describe('parseRejectReason', () => {
  it('normalises every error shape with its code', () => {
    expect(parseRejectReason({ result: null, error: [21, 'Job not found', ''] })).toEqual({ reason: 'Job not found', code: 21 });
    expect(parseRejectReason({ result: null, error: [23, 'Difficulty too low', ''] })).toEqual({ reason: 'Difficulty too low', code: 23 });
    expect(parseRejectReason({ result: false, error: null, 'reject-reason': 'Above target 2' })).toEqual({ reason: 'Above target 2', code: null });
    expect(parseRejectReason({ result: false, error: 'Stale' })).toEqual({ reason: 'Stale', code: null });
    expect(parseRejectReason({ result: null, error: 'Stale' })).toEqual({ reason: 'Stale', code: null });
    expect(parseRejectReason({ error: { code: 22, message: 'duplicate share', data: null } })).toEqual({ reason: 'duplicate share', code: 22 });
    expect(parseRejectReason({ result: false, error: null })).toEqual({ reason: 'rejected (no reason given)', code: null });
    expect(parseRejectReason({ result: null, error: [25] })).toEqual({ reason: 'error 25', code: 25 });
    expect(parseRejectReason({ result: true, error: null })).toBeNull();
    expect(parseRejectReason({ result: true })).toBeNull();
  });
});

describe('pool message edge cases', () => {
  it('client.reconnect takes the port as a string or a number', () => {
    expect(ok('{"id":null,"method":"client.reconnect","params":["pool.example.com","3334",5]}')).toEqual({ kind: 'reconnect', host: 'pool.example.com', port: 3334, waitS: 5 });
    expect(ok('{"id":null,"method":"client.reconnect","params":["pool.example.com",3335]}')).toEqual({ kind: 'reconnect', host: 'pool.example.com', port: 3335, waitS: 0 });
    expect(ok('{"id":null,"method":"client.reconnect","params":["a.example.com","0",0]}')).toEqual({ kind: 'reconnect', host: 'a.example.com', port: null, waitS: 0 });
    expect(ok('{"id":null,"method":"client.reconnect"}')).toEqual({ kind: 'reconnect', host: null, port: null, waitS: 0 });
  });

  it('rejects bad shapes with a reason instead of throwing', () => {
    for (const line of [
      '{"id":null,"method":"mining.set_difficulty","params":[-1]}',
      '{"id":null,"method":"mining.set_difficulty","params":["1"]}',
      '{"id":null,"method":"mining.set_extranonce","params":["xyz",4]}',
      '{"id":null,"method":"mining.set_extranonce","params":["ab",33]}',
      '{"id":null,"method":"mining.set_version_mask","params":["1fffe0"]}',
      '{"id":null,"method":"mining.notify","params":["1","00",""," ",[],"20000000","1d00ffff","00000000",true]}',
      '{"id":null,"method":42}',
      '[1,2,3]',
      'null',
      '{"id":3}',
      '',
    ]) {
      const r = parsePoolMessage(line);
      expect(r.ok, line).toBe(false);
      if (!r.ok) expect(r.error.length).toBeGreaterThan(0);
    }
  });

  it('a notify without a boolean last param is refused', () => {
    const c = byName('mining.notify (9 params)');
    expect(parsePoolMessage(c.line.replace(',false]}', ',"false"]}')).ok).toBe(false);
  });

  it('accepts ids above 16 bits and string ids', () => {
    const m = ok('{"id":"7","result":true,"error":null}');
    expect(m.kind === 'response' && m.response.id).toBe('7');
  });
});
