import { Agent, request } from "undici";
import { percentile, type LoadRequest, type LoadResult } from "./load.js";

/** One place requests go, with the requests it is sent (the i-th of each target is the same search). */
export interface LatencyTarget {
  readonly url: string;
  readonly requests: readonly LoadRequest[];
}

/**
 * Latency at one connection, measured in step: requests go one at a time, in turn to each target
 * (the same search to every target, then the next search), over one kept-alive connection per
 * target. Back-to-back runs of a few seconds each (autocannon, one target after the other) meet
 * the machine at different moments: on these VMs the speed drifts by more than the difference
 * measured (a process that only forwards requests came out up to a millisecond faster or slower
 * than Meilisearch itself). In step, every target sees the same moments, so the drift cancels out
 * of the differences between their medians.
 * @returns each target's latencies (ms) as a {@link LoadResult}, in the order given
 */
export async function measureInStep(
  targets: readonly LatencyTarget[],
  options: { readonly cycles: number; readonly warmCycles?: number },
): Promise<LoadResult[]> {
  const agent = new Agent({ connections: 1, keepAliveTimeout: 60_000 });
  const latencies = targets.map((): number[] => []);
  const failures = targets.map(() => 0);
  const length = Math.min(...targets.map((target) => target.requests.length));
  const warm = options.warmCycles ?? 1;
  const startedAt = performance.now();
  try {
    for (let cycle = 0; cycle < warm + options.cycles; cycle += 1) {
      for (let index = 0; index < length; index += 1) {
        for (const [position, target] of targets.entries()) {
          const { method, path, headers, body } = target.requests[index] as LoadRequest;
          const sentAt = performance.now();
          const answer = await request(`${target.url}${path}`, { method, headers, body, dispatcher: agent });
          await answer.body.arrayBuffer();
          const took = performance.now() - sentAt;
          if (cycle < warm) continue;
          if (answer.statusCode >= 200 && answer.statusCode < 300) latencies[position]?.push(took);
          else failures[position] = (failures[position] ?? 0) + 1;
        }
      }
    }
  } finally {
    await agent.close();
  }
  const seconds = (performance.now() - startedAt) / 1000;
  return latencies.map((taken, position) => summarise(taken, failures[position] ?? 0, seconds));
}

function summarise(latencies: number[], failures: number, seconds: number): LoadResult {
  const sorted = latencies.toSorted((a, b) => a - b);
  return {
    requestsPerSecond: sorted.length / seconds,
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    p99: percentile(sorted, 99),
    completed: sorted.length,
    failures,
  };
}
