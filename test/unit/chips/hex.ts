/** Test helper: hex with spaces (as the docs print frames) → bytes. */
export function hx(text: string): Buffer {
  const clean = text.replace(/\s+/g, '');
  if (!/^([0-9a-fA-F]{2})*$/.test(clean)) throw new Error(`bad hex in test: ${text}`);
  return Buffer.from(clean, 'hex');
}
