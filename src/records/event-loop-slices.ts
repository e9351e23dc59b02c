import { setImmediate as nextTurn } from "node:timers/promises";

/** How long synchronous scanning runs before it lets the event loop turn. */
const DEFAULT_SLICE_MS = 10;

/**
 * Cuts a long run of synchronous work (listing folders, reading and evaluating files) into slices
 * of about `sliceMs`: between slices the event loop turns, so HTTP sends and task polls of a
 * reindex, or the API of `postindex start`, are never held up for longer than one slice. Cheaper
 * than making every file read asynchronous: one clock read per step, one turn per slice.
 */
export class EventLoopSlices {
  readonly #sliceMs: number;
  #sliceStart = performance.now();

  constructor(sliceMs = DEFAULT_SLICE_MS) {
    this.#sliceMs = sliceMs;
  }

  /** Whether the current slice is used up (then `await pause()`). */
  due(): boolean {
    return performance.now() - this.#sliceStart >= this.#sliceMs;
  }

  /** Lets the event loop turn once (I/O callbacks run), then starts a new slice. */
  async pause(): Promise<void> {
    await nextTurn();
    this.#sliceStart = performance.now();
  }
}
