// @ts-check
// Only the newest request's answer counts: each run aborts the one before it, and an answer that
// arrives after a newer run started is dropped (sequence number), aborted or not.

/**
 * @returns {{run<T>(task: (signal: AbortSignal) => Promise<T>): Promise<{current: true, value: T} | {current: false}>, cancel(): void}}
 */
export function latestOnly() {
  /** @type {AbortController | null} */
  let controller = null;
  let sequence = 0;
  return {
    async run(task) {
      controller?.abort();
      const mine = new AbortController();
      controller = mine;
      const id = ++sequence;
      try {
        const value = await task(mine.signal);
        return id === sequence ? { current: true, value } : { current: false };
      } catch (error) {
        if (id !== sequence || mine.signal.aborted) return { current: false };
        throw error;
      }
    },
    cancel() {
      controller?.abort();
      sequence += 1;
    },
  };
}

/** `fn` called once input has been quiet for `ms`; `.flush()` runs a pending call now, `.cancel()` drops it. */
export function debounce(fn, ms) {
  /** @type {ReturnType<typeof setTimeout> | undefined} */
  let timer;
  const debounced = () => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      timer = undefined;
      fn();
    }, ms);
  };
  debounced.cancel = () => {
    clearTimeout(timer);
    timer = undefined;
  };
  debounced.flush = () => {
    if (timer === undefined) return;
    debounced.cancel();
    fn();
  };
  return debounced;
}
