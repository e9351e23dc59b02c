// The read-ahead thread (started by read-ahead.ts once a scan's reads come from the disk): it reads
// the scan's next files into the page cache, many at a time, so that the scan's own synchronous
// reads find them there. What it reads is thrown away. Node built-ins only.
import { close, constants, open, read } from "node:fs";
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
    lane();
  }
}

function hasWork(): boolean {
  return next < files.length && next < position + window;
}

/**
 * Opening without blocking: a file swapped for a FIFO since the listing would otherwise hold one of
 * the process's thread-pool threads until someone writes to it.
 */
const READ_NOW = constants.O_RDONLY | constants.O_NONBLOCK;

/**
 * Reads the start of the next file, then the next, while there is work within the window. With
 * callbacks rather than `fs/promises`: its `FileHandle`s cost 4× the CPU (20,000 cached files:
 * ~1.1 s against ~0.29 s). A file that cannot be read is the scan's to report, not this thread's.
 */
function lane(): void {
  if (!hasWork()) {
    running -= 1;
    if (running === 0) report();
    return;
  }
  const file = files[next] as string;
  next += 1;
  const done = (): void => {
    touched += 1;
    lane();
  };
  open(`${dir}/${file}`, READ_NOW, (openError, fd) => {
    if (openError !== null) return done();
    read(fd, scratch, 0, touchBytes, 0, () => close(fd, done));
  });
}

/** Tells the scan how far it got, each time it has nothing left to read for now. */
function report(): void {
  const message: ReadAheadReport = { touched, next };
  // oxlint-disable-next-line unicorn/require-post-message-target-origin -- a worker's port has no origin
  port?.postMessage(message);
}

startLanes();
