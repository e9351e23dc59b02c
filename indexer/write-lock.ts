import { randomBytes } from "node:crypto";
import { link, mkdir, readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { PostindexError } from "../src/index.js";

/** Who holds a lock: written into the lock file so another process can tell a live holder from a stale one. */
interface LockOwner {
  pid: number;
  command: string;
  since: string;
}

/** Lock files this process holds: a second writer in the same process must wait like any other. */
const heldHere = new Set<string>();

/** A held lock; `release()` is idempotent. */
export interface WriteLock {
  readonly file: string;
  release(): Promise<void>;
}

/**
 * The lock that keeps writers of one index apart (in `${dataDir}/locks/<index>.lock`): a reindex
 * holds it for its whole run, a sync for its pass, a watcher for each batch. A lock left by a
 * process that no longer runs is taken over.
 */
export function writeLockPath(dataDir: string, indexUid: string): string {
  return path.join(dataDir, "locks", `${indexUid}.lock`);
}

/**
 * Takes the lock or throws `lock_held` naming the holder.
 * @throws PostindexError `lock_held` when a live process holds it.
 */
export async function acquireWriteLock(file: string, command: string): Promise<WriteLock> {
  await mkdir(path.dirname(file), { recursive: true });
  for (let attempt = 0; attempt < 3; attempt += 1) {
    const owner: LockOwner = { pid: process.pid, command, since: new Date().toISOString() };
    if (await createWithContent(file, JSON.stringify(owner))) return heldLock(file);
    const holder = await readOwner(file);
    const isHeld = holder !== undefined && (holder.pid === process.pid ? heldHere.has(file) : isAlive(holder.pid));
    if (holder && isHeld) {
      throw new PostindexError("lock_held", `another postindex ${holder.command} (pid ${holder.pid}, since ${holder.since}) is writing to this index`);
    }
    await rm(file, { force: true });
  }
  throw new PostindexError("lock_held", `could not take the lock ${file}`);
}

/** Takes the lock, waiting (polling) while a live process holds it; `signal` gives up. */
export async function waitForWriteLock(file: string, command: string, signal?: AbortSignal, pollMs = 200): Promise<WriteLock> {
  for (;;) {
    try {
      return await acquireWriteLock(file, command);
    } catch (error) {
      if (!(error instanceof PostindexError) || error.code !== "lock_held" || signal?.aborted) throw error;
    }
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
}

/**
 * Creates `file` holding `content`, atomically: written to a private temp file, then hard-linked
 * into place (which fails if `file` exists), so no reader ever sees a lock without its owner.
 * @returns false when the file already exists.
 */
async function createWithContent(file: string, content: string): Promise<boolean> {
  const temp = `${file}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`;
  await writeFile(temp, content, { flag: "wx" });
  try {
    await link(temp, file);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EEXIST") return false;
    throw error;
  } finally {
    await rm(temp, { force: true });
  }
}

function heldLock(file: string): WriteLock {
  heldHere.add(file);
  let released = false;
  return {
    file,
    async release() {
      if (released) return;
      released = true;
      heldHere.delete(file);
      const holder = await readOwner(file);
      if (holder?.pid === process.pid) await rm(file, { force: true });
    },
  };
}

async function readOwner(file: string): Promise<LockOwner | undefined> {
  try {
    const owner = JSON.parse(await readFile(file, "utf8")) as Partial<LockOwner>;
    return typeof owner.pid === "number" ? (owner as LockOwner) : undefined;
  } catch {
    return undefined;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/**
 * The rebuild counter of an index (`${dataDir}/locks/<index>.generation`): a reindex bumps it
 * after its swap, so a watcher that sees it move knows its picture of the index is stale.
 */
export function generationPath(dataDir: string, indexUid: string): string {
  return path.join(dataDir, "locks", `${indexUid}.generation`);
}

export async function readGeneration(file: string): Promise<number> {
  const text = await readFile(file, "utf8").catch(() => "0");
  const value = Number.parseInt(text, 10);
  return Number.isFinite(value) ? value : 0;
}

export async function bumpGeneration(file: string): Promise<number> {
  const next = (await readGeneration(file)) + 1;
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, String(next));
  return next;
}
