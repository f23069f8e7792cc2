/**
 * Text from outside (pool messages and reject reasons, RPC errors, device names, HTTP paths) is
 * shown and logged as plain text: control characters (ESC sequences, CR, newlines, C1 codes) and
 * bidirectional overrides are replaced by visible escapes, so that nothing from outside can move
 * the cursor, recolour a terminal, or forge a log line such as "BLOCK found".
 */
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;
const UNSAFE_ALL = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

export function plainText(text: string): string {
  if (!UNSAFE.test(text)) return text;
  return text.replace(UNSAFE_ALL, (c) => {
    const code = c.charCodeAt(0);
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
  });
}

/** The same for a value that may be absent. */
export function plainTextOrNull(text: string | null): string | null {
  return text === null ? null : plainText(text);
}
