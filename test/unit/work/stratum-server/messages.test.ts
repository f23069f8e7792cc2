import { describe, expect, it } from 'vitest';
import { ServerJob } from '../../../../src-main/work/stratum-server/jobs.js';
import { errorLine, notificationLine, resultLine, STRATUM_ERROR } from '../../../../src-main/work/stratum-server/replies.js';
import { parseMinerLine } from '../../../../src-main/work/stratum-server/requests.js';
import { loadVector } from '../../../helpers/vectors.js';
import { nodeTemplate } from '../../../fixtures/work/node-template.js';

describe('what miners send (server side)', () => {
  it('reads ESP-Miner’s handshake, BIP310’s configure and public-pool’s submit from the vectors', () => {
    const v = loadVector('stratum-messages.json') as { cases: Array<{ name: string; line: string; expect: Record<string, string> }>; handshake_examples: { esp_miner_outgoing_order: string[] } };
    const handshake = v.handshake_examples.esp_miner_outgoing_order.slice(0, 5).map((l) => l.replace(/^\([^)]*\)\s*/, ''));
    expect(handshake.map((l) => parseMinerLine(l).kind)).toEqual(['configure', 'subscribe', 'authorize', 'suggest_difficulty', 'extranonce_subscribe']);
    const configure = v.cases.find((c) => c.name === 'BIP310 configure request example')!;
    expect(parseMinerLine(configure.line)).toEqual({
      kind: 'configure',
      id: 1,
      extensions: ['minimum-difficulty', 'version-rolling'],
      params: { 'minimum-difficulty.value': 2048, 'version-rolling.mask': '1fffe000', 'version-rolling.min-bit-count': 2 },
    });
    const submit = v.cases.find((c) => c.name === 'submit with version bits (public-pool test)')!;
    const e = submit.expect;
    expect(parseMinerLine(submit.line)).toEqual({
      kind: 'submit',
      id: 5,
      worker: e['worker'],
      jobId: e['job_id'],
      extranonce2Hex: e['extranonce2'],
      ntime: parseInt(e['ntime']!, 16),
      nonce: parseInt(e['nonce']!, 16),
      versionBits: parseInt(e['version_bits']!, 16),
    });
  });

  it('parses each request with its fields', () => {
    expect(parseMinerLine('{"id":1,"method":"mining.configure","params":[["version-rolling"],{"version-rolling.mask":"ffffffff"}]}')).toEqual({
      kind: 'configure',
      id: 1,
      extensions: ['version-rolling'],
      params: { 'version-rolling.mask': 'ffffffff' },
    });
    expect(parseMinerLine('{"id":2,"method":"mining.subscribe","params":["bitaxe/BM1370/v2.4.0"]}')).toEqual({ kind: 'subscribe', id: 2, userAgent: 'bitaxe/BM1370/v2.4.0' });
    expect(parseMinerLine('{"id":2,"method":"mining.subscribe","params":[]}')).toEqual({ kind: 'subscribe', id: 2, userAgent: null });
    expect(parseMinerLine('{"id":"a","method":"mining.subscribe"}')).toEqual({ kind: 'subscribe', id: 'a', userAgent: null });
    expect(parseMinerLine('{"id":3,"method":"mining.authorize","params":["bc1q.w1","x"]}')).toEqual({ kind: 'authorize', id: 3, user: 'bc1q.w1' });
    expect(parseMinerLine('{"id":3,"method":"mining.authorize","params":["w1"]}')).toEqual({ kind: 'authorize', id: 3, user: 'w1' });
    expect(parseMinerLine('{"id":4,"method":"mining.suggest_difficulty","params":[0.00015]}')).toEqual({ kind: 'suggest_difficulty', id: 4, difficulty: 0.00015 });
    expect(parseMinerLine('{"id":4,"method":"mining.suggest_difficulty","params":["512"]}')).toEqual({ kind: 'suggest_difficulty', id: 4, difficulty: 512 });
    expect(parseMinerLine('{"id":5,"method":"mining.extranonce.subscribe","params":[]}')).toEqual({ kind: 'extranonce_subscribe', id: 5 });
    expect(parseMinerLine('{"id":6,"method":"mining.submit","params":["w1","1a","0000abcd","6549e5ff","0a029ed1","1fffe000"]}')).toEqual({
      kind: 'submit',
      id: 6,
      worker: 'w1',
      jobId: '1a',
      extranonce2Hex: '0000abcd',
      ntime: 0x6549e5ff,
      nonce: 0x0a029ed1,
      versionBits: 0x1fffe000,
    });
    expect(parseMinerLine('{"id":7,"method":"mining.submit","params":["w1","1a","0000ABCD","6549e5ff","0a029ed1"]}')).toMatchObject({ kind: 'submit', extranonce2Hex: '0000abcd', versionBits: null });
    expect(parseMinerLine('{"id":8,"method":"mining.ping","params":[]}')).toEqual({ kind: 'ping', id: 8 });
    expect(parseMinerLine('{"id":9,"result":"pong","error":null}')).toEqual({ kind: 'response' });
  });

  it('reports malformed and unknown requests without throwing', () => {
    expect(parseMinerLine('garbage')).toEqual({ kind: 'malformed', id: null, error: 'not JSON' });
    expect(parseMinerLine('[1,2]')).toMatchObject({ kind: 'malformed', error: 'not a JSON object' });
    expect(parseMinerLine('{"id":1}')).toMatchObject({ kind: 'malformed', id: 1, error: 'no method' });
    expect(parseMinerLine('{"id":2,"method":"mining.submit","params":["w","1","zz","00000000","00000000"]}')).toMatchObject({ kind: 'malformed', id: 2 });
    expect(parseMinerLine('{"id":2,"method":"mining.submit","params":["w","1","00","0000000","00000000"]}')).toMatchObject({ kind: 'malformed', id: 2 });
    expect(parseMinerLine('{"id":3,"method":"mining.suggest_difficulty","params":[-1]}')).toMatchObject({ kind: 'malformed', id: 3 });
    expect(parseMinerLine('{"id":4,"method":"mining.get_transactions","params":[]}')).toEqual({ kind: 'unknown', id: 4, method: 'mining.get_transactions' });
    expect(parseMinerLine('{"id":{"x":1},"method":"mining.ping"}')).toEqual({ kind: 'ping', id: null });
  });
});

describe('what the server writes', () => {
  it('replies, errors with codes 20–25 and notifications as one JSON line each', () => {
    expect(resultLine(1, true)).toBe('{"id":1,"result":true,"error":null}\n');
    expect(errorLine(6, { code: STRATUM_ERROR.duplicate, message: 'Duplicate share' })).toBe('{"id":6,"result":null,"error":[22,"Duplicate share",null]}\n');
    expect(Object.values(STRATUM_ERROR)).toEqual([20, 21, 22, 23, 24, 25]);
    expect(notificationLine('mining.set_difficulty', [0.0005])).toBe('{"id":null,"method":"mining.set_difficulty","params":[0.0005]}\n');
  });

  it('a notify carries the job in pool form: word-swapped prevhash, big-endian hex fields, clean flag last', () => {
    const t = nodeTemplate();
    const line = new ServerJob('1f', t).notifyLine(true);
    const m = JSON.parse(line) as { id: null; method: string; params: unknown[] };
    expect(m.method).toBe('mining.notify');
    expect(m.params).toHaveLength(9);
    expect(m.params[0]).toBe('1f');
    // Each 4-byte word of the header-order previous hash, bytes reversed.
    const header = t.prevHash.toString('hex');
    const words = String(m.params[1])
      .match(/.{8}/g)!
      .map((w) => w.match(/../g)!.reverse().join(''));
    expect(words.join('')).toBe(header);
    expect(m.params[2]).toBe(t.coinb1.toString('hex'));
    expect(m.params[3]).toBe(t.coinb2.toString('hex'));
    expect(m.params[4]).toEqual(t.merkleBranches.map((b) => b.toString('hex')));
    expect(m.params[5]).toBe('20000000');
    expect(m.params[6]).toBe('1d00ffff');
    expect(m.params[7]).toBe(t.ntime.toString(16).padStart(8, '0'));
    expect(m.params[8]).toBe(true);
    expect(JSON.parse(new ServerJob('1f', t).notifyLine(false)).params[8]).toBe(false);
  });
});
