/**
 * Parses one cgminer RPC request. Two forms (cgminer API-README): plain text `cmd|param` and JSON
 * `{"command":"cmd","parameter":"param"}`; the reply uses the same form as the request. Report
 * commands may be joined with `+` (`summary+devs`). HashDeck adds an optional `"token"` member to
 * the JSON form so that a client off this machine can present the API token.
 */

export type ParsedRequest =
  { ok: true; json: boolean; commands: string[]; joined: boolean; parameter: string; token: string | null } | { ok: false; json: boolean; error: 'invalid-json' | 'missing-command' };

/** The request text with the transport's trailing newline/NUL removed. */
export function cleanRequestText(raw: string): string {
  return raw.replace(/[\0\r\n]+$/g, '').trim();
}

export function parseRequest(raw: string): ParsedRequest {
  const text = cleanRequestText(raw);
  if (text.startsWith('{')) {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      return { ok: false, json: true, error: 'invalid-json' };
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return { ok: false, json: true, error: 'invalid-json' };
    const obj = value as Record<string, unknown>;
    const command = obj['command'];
    if (typeof command !== 'string' || command.trim() === '') return { ok: false, json: true, error: 'missing-command' };
    const p = obj['parameter'];
    const parameter = typeof p === 'string' ? p : typeof p === 'number' || typeof p === 'boolean' ? String(p) : '';
    const token = typeof obj['token'] === 'string' ? (obj['token'] as string) : null;
    return { ok: true, json: true, ...splitCommands(command), parameter, token };
  }
  const bar = text.indexOf('|');
  const command = bar >= 0 ? text.slice(0, bar) : text;
  const parameter = bar >= 0 ? text.slice(bar + 1) : '';
  if (command.trim() === '') return { ok: false, json: false, error: 'missing-command' };
  return { ok: true, json: false, ...splitCommands(command), parameter, token: null };
}

/** `+devs++summary+devs` → ['devs', 'summary'] (blanks ignored, repeats answered once). */
function splitCommands(command: string): { commands: string[]; joined: boolean } {
  const c = command.trim().toLowerCase();
  if (!c.includes('+')) return { commands: [c], joined: false };
  const seen: string[] = [];
  for (const part of c.split('+')) {
    const name = part.trim();
    if (name !== '' && !seen.includes(name)) seen.push(name);
  }
  return { commands: seen, joined: true };
}

/**
 * True when `raw` holds a whole request. JSON is complete once it parses; plain text is complete
 * as soon as it arrives (cgminer itself reads a text request with a single recv).
 */
export function isCompleteRequest(raw: string): boolean {
  const text = cleanRequestText(raw);
  if (text === '') return false;
  if (!text.startsWith('{')) return true;
  if (/[\n\0]/.test(raw)) return true;
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}
