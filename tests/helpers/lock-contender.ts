/**
 * A writer process for the write-lock race tests: `node --import tsx lock-contender.ts LOCK LOG`.
 * It prints `ready`, then obeys one command a line on stdin, so the test can start many of them
 * once and make them race on cue:
 * - `go`: tries `acquireWriteLock(LOCK)`; on success appends `enter <pid>` to LOG and prints `got`,
 *   otherwise prints `held <message>` (or `error <message>` for anything but `lock_held`);
 * - `release`: appends `exit <pid>` to LOG, releases the lock, prints `released`.
 * It exits when stdin closes.
 */
import { appendFile } from "node:fs/promises";
import { createInterface } from "node:readline";
import { acquireWriteLock, type WriteLock } from "../../indexer/write-lock.js";
import { PostindexError } from "../../src/index.js";

const [lockFile, logFile] = process.argv.slice(2);
if (!lockFile || !logFile) throw new Error("usage: lock-contender.ts LOCK LOG");

let lock: WriteLock | undefined;
const say = (line: string) => process.stdout.write(`${line}\n`);

async function obey(command: string): Promise<void> {
  if (command === "go") {
    try {
      lock = await acquireWriteLock(lockFile!, "contender");
      await appendFile(logFile!, `enter ${process.pid}\n`);
      say("got");
    } catch (error) {
      if (error instanceof PostindexError && error.code === "lock_held") say(`held ${error.message}`);
      else say(`error ${String(error)}`);
    }
  } else if (command === "release") {
    await appendFile(logFile!, `exit ${process.pid}\n`);
    await lock?.release();
    lock = undefined;
    say("released");
  }
}

// One command at a time, in order: a `release` must not overtake the `go` before it.
let queue = Promise.resolve();
createInterface({ input: process.stdin }).on("line", (line) => {
  queue = queue.then(() => obey(line.trim()));
});
say("ready");
