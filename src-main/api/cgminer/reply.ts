/**
 * One cgminer reply (a STATUS plus an optional report section) and its two encodings.
 * JSON: `{"STATUS":[{…}],"SUMMARY":[{…}],"id":1}`. Text: `STATUS=S,When=…,Code=11,Msg=Summary,
 * Description=…|SUMMARY,Elapsed=…,…|`, with `|`, `,`, `=` and `\` escaped by a backslash
 * (cgminer API-README, API ≥ 1.7). Joined requests wrap each reply under its command name.
 * Every reply on the wire ends with a NUL byte, as cgminer sends its C string terminator;
 * clients (pyasic, exporters) strip it (docs/features.md §(e)1).
 */
import type { CgminerStatus } from './status.js';
import type { Row } from './reports.js';

export interface Section {
  /** Upper-case section name: SUMMARY, DEVS, POOLS, STATS, DEVDETAILS, VERSION, CONFIG, COIN, CHECK, ASCS. */
  name: string;
  rows: Row[];
  /**
   * Text form: single-record sections start with their name (`SUMMARY,Elapsed=…`); list
   * sections start each record with its index key instead (`ASC=0,…`, `POOL=0,…`).
   */
  textPrefix: boolean;
}

export interface Reply {
  status: CgminerStatus;
  section?: Section;
}

function replyObject(reply: Reply): Record<string, unknown> {
  const out: Record<string, unknown> = { STATUS: [reply.status] };
  if (reply.section) out[reply.section.name] = reply.section.rows;
  out['id'] = 1;
  return out;
}

export function encodeJson(reply: Reply): string {
  return JSON.stringify(replyObject(reply));
}

export function encodeJoinedJson(replies: Array<[string, Reply]>): string {
  const out: Record<string, unknown> = {};
  for (const [command, reply] of replies) out[command] = [replyObject(reply)];
  out['id'] = 1;
  return JSON.stringify(out);
}

export function escapeText(value: string): string {
  return value.replace(/[\\|,=]/g, (c) => `\\${c}`);
}

function textValue(value: Row[string]): string {
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '0';
  return escapeText(value);
}

function textRecord(row: Row): string {
  return Object.entries(row)
    .map(([k, v]) => `${k}=${textValue(v)}`)
    .join(',');
}

export function encodeText(reply: Reply): string {
  let out = `${textRecord(reply.status as unknown as Row)}|`;
  const section = reply.section;
  if (section) {
    for (const row of section.rows) {
      const record = textRecord(row);
      out += section.textPrefix ? `${section.name}${record === '' ? '' : `,${record}`}|` : `${record}|`;
    }
  }
  return out;
}

export function encodeJoinedText(replies: Array<[string, Reply]>): string {
  return replies.map(([command, reply]) => `CMD=${escapeText(command)}|${encodeText(reply)}`).join('');
}
