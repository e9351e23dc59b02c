import autocannon from "autocannon";

/** One HTTP request of a load run (cycled through by every connection). */
export interface LoadRequest {
  readonly method: "GET" | "POST";
  readonly path: string;
  readonly body?: string;
  readonly headers?: Record<string, string>;
}

/** Options for {@link runLoad}. */
export interface LoadOptions {
  /** Base URL, loopback only (`http://127.0.0.1:PORT`). */
  readonly url: string;
  readonly requests: readonly LoadRequest[];
  /** Concurrent keep-alive connections. */
  readonly connections: number;
  readonly durationSeconds: number;
}

/** What a load run measured. Latencies are per request, in ms, with sub-millisecond precision. */
export interface LoadResult {
  readonly requestsPerSecond: number;
  readonly p50: number;
  readonly p95: number;
  readonly p99: number;
  readonly completed: number;
  /** Non-2xx answers, errors and timeouts: a run with any is not a valid measurement. */
  readonly failures: number;
}

/** The `p`th percentile of ascending `sorted` (nearest rank). */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] as number;
}

/**
 * Runs autocannon for a fixed duration and computes latency percentiles from every response
 * (autocannon's own histogram has millisecond resolution and no p95).
 */
export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  if (!/^http:\/\/(127\.0\.0\.1|localhost|\[::1\])[:/]/.test(options.url))
    throw new Error(`bench targets must be loopback, got ${options.url}`);
  const latencies: number[] = [];
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(
      {
        url: options.url,
        connections: options.connections,
        duration: options.durationSeconds,
        requests: options.requests.map((request) => ({ ...request })),
        timeout: 10,
      },
      (error, finished) => (error ? reject(error) : resolve(finished)),
    );
    instance.on("response", (_client, statusCode, _bytes, responseTime) => {
      if (statusCode >= 200 && statusCode < 300) latencies.push(responseTime);
    });
  });
  latencies.sort((a, b) => a - b);
  return {
    requestsPerSecond: latencies.length / options.durationSeconds,
    p50: percentile(latencies, 50),
    p95: percentile(latencies, 95),
    p99: percentile(latencies, 99),
    completed: latencies.length,
    failures: result.non2xx + result.errors + result.timeouts,
  };
}

/**
 * How long each side of a throughput comparison (Meilisearch direct, the API, the forwarding
 * process) is loaded before its rounds. Node processes here keep getting cheaper per request for
 * the first ~20 s of load (the forwarder's CPU per multi-query went 1.39 → 0.99 → 0.69 → 0.53 ms
 * over four 6 s windows, the API's 2.36 → 1.70 ms, then both level off; bench/NOTES.md): a shorter
 * warm-up measures the start, not what a running server costs.
 */
export const WARM_UP_SECONDS = 20;

/** `1.23 ms` */
export function ms(value: number): string {
  return `${value.toFixed(2)} ms`;
}
