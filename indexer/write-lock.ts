import { createHash, randomBytes } from "node:crypto";
import { link, mkdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { PostindexError, tryParseJson } from "../src/index.js";

/**
 * Who holds a lock: written into the lock file so another process can tell a live holder from a
 * stale one. A pid alone is not enough, since the kernel hands a dead holder's pid to the next
 * process: `start` (the holder's start time, field 22 of `/proc/<pid>/stat`, in clock ticks since
 * boot) and `boot` (the kernel's boot id) tell the holder from a later process with its pid. Both
 * are absent where there is no `/proc`, and in files written before they existed; the pid alone
 * decides then. `token` names this one acquisition, so that a release removes its own lock only.
 */
interface LockOwner {
  pid: number;
  command: string;
  since: string;
  token?: string;
  start?: string;
  boot?: string;
}

/** A lock or takeover claim as read: the owner (undefined when the file is not an owner's JSON) and the file's identity. */
interface LockFile {
  owner: LockOwner | undefined;
  /** A digest of the file's bytes: every lock file is written once and never changed, and holds a fresh token, so this names one lock. */
  key: string;
}

/**
 * Tokens of this process's acquisitions that are under way or held. A lock file naming this pid
 * with another token is a leftover (of an earlier process with this pid, or of one of ours that
 * went wrong), so stale; one with a token in here is live, and a second writer in the same
 * process waits like any other.
 */
const ownTokens = new Set<string>();

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
 *
 * A free lock is taken by hard-linking a complete owner file into place, which fails if the lock
 * exists. A stale one is taken over without ever removing it (removing it would let a process
 * that judged it stale a moment ago remove the fresh lock that replaced it): see {@link takeOver}.
 * @throws PostindexError `lock_held` when a live process holds it.
 */
export async function acquireWriteLock(file: string, command: string): Promise<WriteLock> {
  await mkdir(path.dirname(file), { recursive: true });
  const token = randomBytes(16).toString("hex");
  const owner: LockOwner = {
    pid: process.pid,
    command,
    since: new Date().toISOString(),
    token,
    ...(await selfIdentity()),
  };
  const temp = `${file}.${token}.tmp`;
  ownTokens.add(token);
  let held = false;
  try {
    await writeFile(temp, JSON.stringify(owner), { flag: "wx" });
    for (let attempt = 0; attempt < 5; attempt += 1) {
      held = (await linkIfFree(temp, file)) || (await takeOver(file, temp));
      if (held) return heldLock(file, token);
    }
    throw new PostindexError("lock_held", `could not take the lock ${file}`);
  } finally {
    await rm(temp, { force: true });
    if (!held) ownTokens.delete(token);
  }
}

/** Takes the lock, waiting (polling) while a live process holds it; `signal` gives up. */
export async function waitForWriteLock(
  file: string,
  command: string,
  signal?: AbortSignal,
  pollMs = 200,
): Promise<WriteLock> {
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
 * Takes over `file` if its holder is dead, putting our owner file `temp` in its place.
 *
 * Each lock (by its {@link LockFile.key}) has one successor: whoever first hard-links its owner
 * file to `${file}.<key>.takeover`, which only one process can do. Only that successor may
 * replace the lock, and it does so with `rename()`, in one step, so the path is never free
 * meanwhile and no plain `link()` can slip in. A successor that dies before its rename leaves its
 * claim behind, a stale holder in turn, with a successor of its own: we follow that chain to its
 * end. Once we hold the last claim, the lock can change only by our hand (its holder and every
 * claimant before us are dead; a live holder's lock is never judged stale), so we check that it is
 * still one of the chain's and rename. If it is not (a successor did its rename, and its lock
 * was since released), this attempt is over: we drop our claim and the caller starts again.
 * Claims are removed once their lock is gone for good; a later claim on them finds the lock
 * changed and drops itself.
 * @returns true when we now hold the lock, false when the caller should try again.
 * @throws PostindexError `lock_held` when the holder, or a claimant taking over from it, is live.
 */
async function takeOver(file: string, temp: string): Promise<boolean> {
  const current = await readLockFile(file);
  if (current === undefined) return false;
  const chain = [current.key];
  let holder = current.owner;
  for (;;) {
    if (holder !== undefined && (await isLive(holder))) {
      throw new PostindexError(
        "lock_held",
        `another postindex ${holder.command} (pid ${holder.pid}, since ${holder.since}) is writing to this index`,
      );
    }
    if (await linkIfFree(temp, claimPath(file, chain.at(-1)!))) break;
    const claim = await readLockFile(claimPath(file, chain.at(-1)!));
    if (claim === undefined || chain.includes(claim.key) || chain.length >= 16) return false;
    chain.push(claim.key);
    holder = claim.owner;
  }
  let replaced = false;
  try {
    const now = await readLockFile(file);
    if (now === undefined || !chain.includes(now.key)) return false;
    await rename(temp, file);
    replaced = true;
    return true;
  } finally {
    const gone = replaced ? chain : chain.slice(-1);
    await Promise.all(gone.map((key) => rm(claimPath(file, key), { force: true })));
  }
}

function claimPath(file: string, key: string): string {
  return `${file}.${key}.takeover`;
}

/**
 * Hard-links the complete owner file `temp` to `target`, which fails if `target` exists: no
 * reader ever sees a lock (or claim) without its owner.
 * @returns false when `target` already exists.
 */
async function linkIfFree(temp: string, target: string): Promise<boolean> {
  try {
    await link(temp, target);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EEXIST") return false;
    throw error;
  }
}

/**
 * The lock as ours: `release()` removes the file only while it still holds our token. Nobody can
 * replace it between that check and the removal, since a live holder's lock is never taken over.
 */
function heldLock(file: string, token: string): WriteLock {
  let released = false;
  return {
    file,
    async release() {
      if (released) return;
      released = true;
      try {
        const current = await readLockFile(file);
        if (current?.owner?.token === token) await rm(file, { force: true });
      } finally {
        ownTokens.delete(token);
      }
    },
  };
}

/** The lock or claim at `file`, or undefined when there is none. */
async function readLockFile(file: string): Promise<LockFile | undefined> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
  return { owner: parseOwner(text), key: createHash("sha256").update(text).digest("hex").slice(0, 32) };
}

function parseOwner(text: string): LockOwner | undefined {
  const read = tryParseJson(text);
  const owner = "value" in read ? (read.value as Partial<LockOwner> | null) : undefined;
  return typeof owner?.pid === "number" ? (owner as LockOwner) : undefined;
}

/**
 * Whether the process that wrote `owner` still runs: a process with its pid exists, and, where
 * the owner recorded them and `/proc` can tell, it is not a zombie and has the recorded boot id
 * and start time. Errs towards "live" (a pid that exists counts when nothing else can be read),
 * so a running holder is never judged dead; "dead" is for good.
 */
async function isLive(owner: LockOwner): Promise<boolean> {
  const { pid } = owner;
  if (!Number.isSafeInteger(pid) || pid <= 0) return false;
  if (pid === process.pid) return owner.token !== undefined && ownTokens.has(owner.token);
  const self = await selfIdentity();
  if (owner.boot !== undefined && self.boot !== undefined && owner.boot !== self.boot) return false;
  if (!pidExists(pid)) return false;
  if (self.start === undefined) return true; // no /proc here: the pid is all there is
  const stat = await readProcStat(pid);
  if (stat === "gone") return false;
  if (stat === undefined) return true;
  if (stat.state === "Z" || stat.state === "X") return false;
  return owner.start === undefined || owner.start === stat.start;
}

function pidExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** State and start time (fields 3 and 22) of `/proc/<pid>/stat`; "gone" when there is no such process, undefined when it cannot be read. */
async function readProcStat(pid: number | "self"): Promise<{ state: string; start: string } | "gone" | undefined> {
  let text: string;
  try {
    text = await readFile(`/proc/${pid}/stat`, "utf8");
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "ENOENT" && pid !== "self" ? "gone" : undefined;
  }
  // The command name (field 2, in parentheses) may hold spaces and parentheses: count from the last ")".
  const fields = text.slice(text.lastIndexOf(")") + 2).split(" ");
  const [state, start] = [fields[0], fields[19]];
  return state && start && /^\d+$/.test(start) ? { state, start } : undefined;
}

let identity: Promise<{ start?: string; boot?: string }> | undefined;

/** This process's start time and the boot id, as recorded in its locks; empty where there is no `/proc`. */
function selfIdentity(): Promise<{ start?: string; boot?: string }> {
  identity ??= (async () => {
    const stat = await readProcStat("self");
    if (stat === undefined || stat === "gone") return {};
    const boot = await readFile("/proc/sys/kernel/random/boot_id", "utf8").then(
      (text) => text.trim() || undefined,
      () => undefined,
    );
    return boot === undefined ? { start: stat.start } : { start: stat.start, boot };
  })();
  return identity;
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
