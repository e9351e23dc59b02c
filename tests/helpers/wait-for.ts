/** Options for {@link waitFor}. */
export interface WaitForOptions {
  /** Give up after this long. @default 5000 */
  readonly timeoutMs?: number;
  /** Pause between probes. @default 25 */
  readonly intervalMs?: number;
  /** What was awaited, for the failure message ("the document is searchable"). */
  readonly message: string;
}

/**
 * Probes until `probe` returns a truthy value and returns it. A probe that throws counts as
 * "not yet". On timeout, fails loudly with `message`, the last value and the last error.
 */
export async function waitFor<T>(probe: () => T | Promise<T>, options: WaitForOptions): Promise<NonNullable<T>> {
  const { timeoutMs = 5_000, intervalMs = 25, message } = options;
  const deadline = Date.now() + timeoutMs;
  let lastValue: unknown;
  let lastError: unknown;
  for (;;) {
    try {
      lastValue = await probe();
      lastError = undefined;
      if (lastValue) return lastValue as NonNullable<T>;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() >= deadline) break;
    await new Promise((done) => setTimeout(done, intervalMs));
  }
  const details =
    lastError === undefined ? `last value: ${JSON.stringify(lastValue)}` : `last error: ${String(lastError)}`;
  throw new Error(`waitFor timed out after ${timeoutMs} ms waiting until ${message} (${details})`, {
    cause: lastError,
  });
}
