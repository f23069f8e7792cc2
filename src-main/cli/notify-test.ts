/**
 * `hashdeck notify-test --notify <kind>=<target> …`: a test message to every channel, one result line
 * each (with --json, one JSON object each and a summary); exit 0 when every channel took it, else 1.
 * Errors never show a token or a webhook URL.
 */
import { Notifier } from '../notify/notifier.js';
import type { NotifyTestOptions } from './args.js';

export async function runNotifyTest(opts: NotifyTestOptions, out: NodeJS.WritableStream = process.stdout): Promise<number> {
  const notifier = new Notifier({ channels: opts.notify.channels, telegramToken: opts.notify.telegramToken, telegramApi: opts.notify.telegramApi }, () => undefined);
  const results = await notifier.test();
  const ok = results.every((r) => r.ok);
  if (opts.json) {
    for (const r of results) out.write(`${JSON.stringify({ type: 'notify-test', ...r })}\n`);
    out.write(`${JSON.stringify({ type: 'summary', channels: results.length, failed: results.filter((r) => !r.ok).length, ok })}\n`);
  } else {
    for (const r of results) out.write(`${r.ok ? 'sent  ' : 'FAILED'} ${r.channel}${r.error ? `: ${r.error}` : ''}\n`);
    out.write(ok ? `all ${results.length} channel(s) took the test message\n` : `${results.filter((r) => !r.ok).length} of ${results.length} channel(s) failed\n`);
  }
  return ok ? 0 : 1;
}
