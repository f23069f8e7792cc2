/** Bad user input: printed as one sentence, exit code 2, never a stack trace. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}
