/**
 * Secrets (tokens, HMAC keys, webhook URLs that carry a token, an MQTT password) never reach a log
 * line: every text that leaves this part goes through a Redactor that knows them all.
 */
export const REDACTED = '***';

export class Redactor {
  private readonly secrets = new Set<string>();

  /** Remember secrets; short strings (under 4 characters) would blank ordinary words and are skipped. */
  add(...values: (string | null | undefined)[]): void {
    for (const v of values) {
      if (!v || v.length < 4) continue;
      this.secrets.add(v);
      // A URL is also seen percent-decoded or re-encoded in error texts.
      try {
        const decoded = decodeURIComponent(v);
        if (decoded !== v && decoded.length >= 4) this.secrets.add(decoded);
      } catch {
        // not percent-encoded: nothing more to add
      }
    }
  }

  redact(text: string): string {
    let out = text;
    // Longest first, so a URL is replaced whole before the token inside it.
    for (const s of [...this.secrets].sort((a, b) => b.length - a.length)) out = out.split(s).join(REDACTED);
    return out;
  }
}

/** A URL as it may be shown: scheme, host and port only (paths and queries of webhooks hold tokens). */
export function safeUrlLabel(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}`;
  } catch {
    return REDACTED;
  }
}
