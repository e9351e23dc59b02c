// The read-ahead thread (started by read-ahead.ts once a scan's reads wait for the disk): it reads
// the scan's next files into the page cache, many at a time, so that the scan's own synchronous
// reads find them there. What it reads is thrown away. Node built-ins only.
import { constants } from "node:fs";
import { open } from "node:fs/promises";
import { parentPort, workerData } from "node:worker_threads";
import type { ReadAheadData, ReadAheadMessage, ReadAheadReport } from "./read-ahead.js";

const port = parentPort;
if (port === null) throw new Error("read-ahead-worker.js runs as a worker thread (see read-ahead.ts)");
const { dir, files, from, window, lanes, touchBytes } = workerData as ReadAheadData;

const scratch = Buffer.allocUnsafe(touchBytes);
/** The scan's position: nothing further than `window` files past it is read. */
let position = from;
let next = from;
let running = 0;
let touched = 0;

port.on("message", (message: ReadAheadMessage) => {
  position = Math.max(position, message.reached);
  next = Math.max(next, position);
  startLanes();
});

function startLanes(): void {
  while (running < lanes && hasWork()) {
    running += 1;
    void lane().finally(() => {
      running -= 1;
      if (running === 0) report();
    });
  }
}

function hasWork(): boolean {
  return next < files.length && next < position + window;
}

async function lane(): Promise<void> {
  while (hasWork()) {
    const file = files[next] as string;
    next += 1;
    await touch(`${dir}/${file}`);
    touched += 1;
  }
}

/**
 * Opening without blocking: a file swapped for a FIFO since the listing would otherwise hold one of
 * the process's thread-pool threads until someone writes to it.
 */
const READ_NOW = constants.O_RDONLY | constants.O_NONBLOCK;

/** Reads the start of a file; one that cannot be read is the scan's to report, not this thread's. */
async function touch(absolute: string): Promise<void> {
  try {
    const handle = await open(absolute, READ_NOW);
    try {
      await handle.read(scratch, 0, touchBytes, 0);
    } finally {
      await handle.close();
    }
  } catch {
    // Gone, unreadable, a folder: the scan finds out for itself.
  }
}

/** Tells the scan how far it got, each time it has nothing left to read for now. */
function report(): void {
  const message: ReadAheadReport = { touched, next };
  // oxlint-disable-next-line unicorn/require-post-message-target-origin -- a worker's port has no origin
  port?.postMessage(message);
}

startLanes();
