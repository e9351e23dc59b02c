import type { Worker } from "node:worker_threads";
import { isReadyMessage, startCheckWorker } from "../../src/records/check-workers-start.js";

/** `check` worker threads that have loaded their modules, and how many batches of files they answered. */
export interface ReadyCheckWorkers {
  workers: Worker[];
  /** Batches of files the workers have read and sent back so far. */
  batchesAnswered: () => number;
}

/**
 * Starts `count` `check` workers for `dir` and waits until each has loaded its modules. A fresh
 * worker takes ~0.3 s to load, by which time the main thread has read a small folder on its own:
 * a test of what crosses between the threads must hand the pool workers that are ready, and
 * check that they answered.
 */
export async function readyCheckWorkers(dir: string, count = 1): Promise<ReadyCheckWorkers> {
  let answered = 0;
  const workers = await Promise.all(
    Array.from(
      { length: count },
      () =>
        new Promise<Worker>((resolve, reject) => {
          const worker = startCheckWorker(dir);
          worker.once("error", reject);
          worker.on("message", (message: unknown) => {
            if (isReadyMessage(message)) resolve(worker);
            else answered += 1;
          });
        }),
    ),
  );
  return { workers, batchesAnswered: () => answered };
}
