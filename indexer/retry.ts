import { MeiliUnavailableError } from "../src/index.js";

export interface RetryOptions {
  /** Give up after this long without success; `Infinity` for a watcher that must never drop work. */
  readonly retryForMs: number;
  /** First pause; doubles up to `maxDelayMs`. @default 250 */
  readonly initialDelayMs?: number;
  /** @default 5000 */
  readonly maxDelayMs?: number;
  /** Told before each pause, so the log says what is going on. */
  readonly onRetry?: (error: MeiliUnavailableError, attempt: number, delayMs: number) => void;
  /** Stops waiting (the last error is thrown). */
  readonly signal?: AbortSignal;
}

/**
 * The indexer's one backoff policy: the pause before retry number `attempt` (1-based), starting at
 * `initialDelayMs` and doubling up to `maxDelayMs`. {@link retryWhileUnavailable} pauses by it
 * between attempts of one operation, the watcher between attempts of a failed batch.
 */
export function backoffDelayMs(
  attempt: number,
  options: Pick<RetryOptions, "initialDelayMs" | "maxDelayMs"> = {},
): number {
  const initial = options.initialDelayMs ?? 250;
  return Math.min(initial * 2 ** Math.max(0, attempt - 1), options.maxDelayMs ?? 5_000);
}

/**
 * Runs `operation`, retrying with exponential backoff ({@link backoffDelayMs}) while Meilisearch
 * is unreachable. Every
 * operation passed here is idempotent (upserts, deletes by id, reads), so a retry after a lost
 * answer is safe. Any other error is thrown at once.
 */
export async function retryWhileUnavailable<T>(operation: () => Promise<T>, options: RetryOptions): Promise<T> {
  const startedAt = Date.now();
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await operation();
    } catch (error) {
      const elapsed = Date.now() - startedAt;
      const delay = backoffDelayMs(attempt, options);
      if (!(error instanceof MeiliUnavailableError) || elapsed + delay > options.retryForMs || options.signal?.aborted)
        throw error;
      options.onRetry?.(error, attempt, delay);
      await sleep(delay, options.signal);
    }
  }
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal?.removeEventListener("abort", done);
      resolve();
    }
    signal?.addEventListener("abort", done, { once: true });
  });
}
