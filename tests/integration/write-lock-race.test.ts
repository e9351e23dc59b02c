import { spawn, type ChildProcess } from "node:child_process";
import { createHash } from "node:crypto";
import { once } from "node:events";
import { existsSync } from "node:fs";
import { mkdir, readdir, readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { describe, expect, onTestFinished, test } from "vitest";
import { acquireWriteLock } from "../../indexer/write-lock.js";
import { PostindexError } from "../../src/index.js";
import { makeTempDir, removeTempDir } from "../helpers/tmp-dir.js";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const contenderScript = path.join(root, "tests/helpers/lock-contender.ts");

/** Above the largest pid Linux allows (2^22): no process has it, so a lock naming it is stale. */
const DEAD_PID = 2 ** 22 + 7;
const hasProc = existsSync("/proc/self/stat");

/** A running `lock-contender.ts`: send it a command, read its answers a line at a time. */
class Contender {
  readonly child: ChildProcess;
  readonly #lines: string[] = [];
  readonly #waiters: Array<{ resolve: (line: string) => void; reject: (error: Error) => void }> = [];
  #exited: Error | undefined;

  constructor(lockFile: string, logFile: string) {
    this.child = spawn(process.execPath, ["--import", "tsx", contenderScript, lockFile, logFile], {
      cwd: root,
      stdio: ["pipe", "pipe", "inherit"],
    });
    createInterface({ input: this.child.stdout! }).on("line", (line) => {
      const waiter = this.#waiters.shift();
      if (waiter) waiter.resolve(line);
      else this.#lines.push(line);
    });
    this.child.on("exit", (code, signal) => {
      this.#exited = new Error(`contender ${this.pid} exited (${code ?? signal})`);
      for (const waiter of this.#waiters.splice(0)) waiter.reject(this.#exited);
    });
  }

  get pid(): number {
    return this.child.pid!;
  }

  /** The next line it prints (rejects if it exits first). */
  next(): Promise<string> {
    const line = this.#lines.shift();
    if (line !== undefined) return Promise.resolve(line);
    if (this.#exited) return Promise.reject(this.#exited);
    return new Promise((resolve, reject) => this.#waiters.push({ resolve, reject }));
  }

  send(command: string): void {
    this.child.stdin!.write(`${command}\n`);
  }

  async stop(): Promise<void> {
    if (this.#exited) return;
    const exited = once(this.child, "exit");
    this.child.stdin!.end();
    await exited;
  }
}

/** Starts `count` contenders on `lockFile` and waits until every one is ready for orders. */
async function startContenders(count: number, lockFile: string, logFile: string): Promise<Contender[]> {
  const contenders = Array.from({ length: count }, () => new Contender(lockFile, logFile));
  onTestFinished(() => Promise.all(contenders.map((c) => c.stop())).then(() => undefined));
  const ready = await Promise.all(contenders.map((c) => c.next()));
  expect(ready).toEqual(Array(count).fill("ready"));
  return contenders;
}

/** The times the log shows a writer entering while another is still inside. */
function overlaps(log: string): string[] {
  const found: string[] = [];
  let inside: string | undefined;
  for (const [index, line] of log.split("\n").filter(Boolean).entries()) {
    const [event, pid] = line.split(" ");
    if (event === "enter") {
      if (inside !== undefined) found.push(`line ${index + 1}: ${pid} entered while ${inside} was inside`);
      inside = pid;
    } else if (event === "exit") {
      if (inside === pid) inside = undefined;
    }
  }
  return found;
}

/** starttime (field 22 of /proc/<pid>/stat, clock ticks since boot) of a running process. */
async function startTime(pid: number): Promise<string> {
  const stat = await readFile(`/proc/${pid}/stat`, "utf8");
  const field = stat.slice(stat.lastIndexOf(")") + 2).split(" ")[19];
  if (field === undefined) throw new Error(`no starttime in /proc/${pid}/stat`);
  return field;
}

async function bootId(): Promise<string> {
  return (await readFile("/proc/sys/kernel/random/boot_id", "utf8")).trim();
}

/** A live process that is not a postindex writer: its pid is taken, by someone else. */
async function startSleeper(): Promise<number> {
  const sleeper = spawn(process.execPath, ["-e", "setInterval(() => {}, 1 << 30)"], { stdio: "ignore" });
  await once(sleeper, "spawn");
  onTestFinished(async () => {
    const exited = once(sleeper, "exit");
    sleeper.kill();
    await exited;
  });
  return sleeper.pid!;
}

async function lockDir(): Promise<{ dir: string; file: string }> {
  const dir = await makeTempDir("write-lock");
  onTestFinished(() => removeTempDir(dir));
  await mkdir(path.join(dir, "locks"));
  return { dir, file: path.join(dir, "locks", "posts.lock") };
}

async function expectHeld(promise: Promise<unknown>, message: string): Promise<void> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(PostindexError);
  expect((error as PostindexError).code).toBe("lock_held");
  expect((error as PostindexError).message).toBe(message);
}

describe("write lock: many processes taking over one stale lock", () => {
  const CONTENDERS = 12;
  const ROUNDS = 25;

  test(
    `${CONTENDERS} processes racing for a dead holder's lock, ${ROUNDS} rounds: exactly one gets in each time`,
    { timeout: 180_000 },
    async () => {
      const { dir, file } = await lockDir();
      const logFile = path.join(dir, "writers.log");
      await writeFile(logFile, "");
      const contenders = await startContenders(CONTENDERS, file, logFile);

      const winnersPerRound: number[] = [];
      for (let round = 0; round < ROUNDS; round += 1) {
        await writeFile(file, JSON.stringify({ pid: DEAD_PID, command: "reindex", since: `round ${round}` }));
        for (const contender of contenders) contender.send("go");
        // Everyone has answered while the winners still hold the lock: the others' attempts all
        // happened against a held lock, none after a release.
        const answers = await Promise.all(contenders.map((c) => c.next()));
        expect(answers.filter((a) => a !== "got" && !a.startsWith("held "))).toEqual([]);
        const winners = contenders.filter((_, i) => answers[i] === "got");
        winnersPerRound.push(winners.length);
        for (const winner of winners) winner.send("release");
        expect(await Promise.all(winners.map((w) => w.next()))).toEqual(winners.map(() => "released"));
        // The last release removed the lock, and no takeover left a file behind.
        expect(await readdir(path.dirname(file))).toEqual([]);
      }

      expect(overlaps(await readFile(logFile, "utf8"))).toEqual([]);
      expect(winnersPerRound).toEqual(Array(ROUNDS).fill(1));
    },
  );
});

describe("write lock: a takeover cut short", () => {
  /** The claim a writer taking over the lock `content` leaves beside it (`<lock>.<digest>.takeover`). */
  const claimFor = (file: string, content: string) =>
    `${file}.${createHash("sha256").update(content).digest("hex").slice(0, 32)}.takeover`;

  test("a claim on a stale lock left by a writer that died mid-takeover does not block the next writer, and is cleared", async () => {
    const { file } = await lockDir();
    const stale = JSON.stringify({ pid: DEAD_PID, command: "reindex", since: "then" });
    await writeFile(file, stale);
    await writeFile(
      claimFor(file, stale),
      JSON.stringify({ pid: DEAD_PID + 1, command: "sync", since: "later", token: "cd".repeat(16) }),
    );
    const lock = await acquireWriteLock(file, "test");
    expect(JSON.parse(await readFile(file, "utf8"))).toMatchObject({ pid: process.pid, command: "test" });
    expect(await readdir(path.dirname(file))).toEqual([path.basename(file)]);
    await lock.release();
    expect(await readdir(path.dirname(file))).toEqual([]);
  });

  test("a live writer's claim on a stale lock is respected: lock_held names that writer", async () => {
    const { dir, file } = await lockDir();
    const [other] = await startContenders(1, path.join(dir, "other.lock"), path.join(dir, "writers.log"));
    const stale = JSON.stringify({ pid: DEAD_PID, command: "reindex", since: "then" });
    await writeFile(file, stale);
    await writeFile(claimFor(file, stale), JSON.stringify({ pid: other!.pid, command: "sync", since: "now" }));
    await expectHeld(
      acquireWriteLock(file, "test"),
      `another postindex sync (pid ${other!.pid}, since now) is writing to this index`,
    );
    expect(await readFile(file, "utf8")).toBe(stale);
  });
});

describe.skipIf(!hasProc)("write lock: a holder is its pid and its start time", () => {
  test("a lock naming a live pid with another start time (the pid was reused) is stale and taken over", async () => {
    const { file } = await lockDir();
    const pid = await startSleeper();
    const start = String(BigInt(await startTime(pid)) + 1n);
    await writeFile(
      file,
      JSON.stringify({ pid, command: "reindex", since: "then", token: "ab".repeat(16), start, boot: await bootId() }),
    );
    const lock = await acquireWriteLock(file, "test");
    expect(JSON.parse(await readFile(file, "utf8"))).toMatchObject({ pid: process.pid, command: "test" });
    await lock.release();
    expect(existsSync(file)).toBe(false);
  });

  test("a lock naming a live pid from an earlier boot is stale and taken over", async () => {
    const { file } = await lockDir();
    const pid = await startSleeper();
    const otherBoot = (await bootId()).replace(/^./, (c) => (c === "0" ? "1" : "0"));
    await writeFile(
      file,
      JSON.stringify({
        pid,
        command: "reindex",
        since: "then",
        token: "ab".repeat(16),
        start: await startTime(pid),
        boot: otherBoot,
      }),
    );
    const lock = await acquireWriteLock(file, "test");
    expect(JSON.parse(await readFile(file, "utf8"))).toMatchObject({ pid: process.pid, command: "test" });
    await lock.release();
  });

  test("a lock naming a live pid with its start time is held: lock_held names the holder and the lock stays", async () => {
    const { file } = await lockDir();
    const pid = await startSleeper();
    const content = JSON.stringify({
      pid,
      command: "reindex",
      since: "then",
      token: "ab".repeat(16),
      start: await startTime(pid),
      boot: await bootId(),
    });
    await writeFile(file, content);
    await expectHeld(
      acquireWriteLock(file, "test"),
      `another postindex reindex (pid ${pid}, since then) is writing to this index`,
    );
    expect(await readFile(file, "utf8")).toBe(content);
  });

  test("an old lock file without a start time is judged by its pid alone", async () => {
    const { file } = await lockDir();
    const pid = await startSleeper();
    await writeFile(file, JSON.stringify({ pid, command: "sync", since: "then" }));
    await expectHeld(
      acquireWriteLock(file, "test"),
      `another postindex sync (pid ${pid}, since then) is writing to this index`,
    );
    await writeFile(file, JSON.stringify({ pid: DEAD_PID, command: "sync", since: "then" }));
    const lock = await acquireWriteLock(file, "test");
    await lock.release();
    expect(existsSync(file)).toBe(false);
  });

  test("what a new lock records: pid, command, since, a token, and on Linux the start time and boot id", async () => {
    const { file } = await lockDir();
    const lock = await acquireWriteLock(file, "test");
    onTestFinished(() => lock.release());
    const owner = JSON.parse(await readFile(file, "utf8")) as Record<string, unknown>;
    expect(owner).toMatchObject({
      pid: process.pid,
      command: "test",
      start: await startTime(process.pid),
      boot: await bootId(),
    });
    expect(owner.token).toMatch(/^[0-9a-f]{32}$/);
    expect(typeof owner.since).toBe("string");
  });
});

describe("write lock: release removes only its own lock", () => {
  test("a lock removed under its holder and taken by another process survives the first holder's release", async () => {
    const { dir, file } = await lockDir();
    const [other] = await startContenders(1, file, path.join(dir, "writers.log"));
    const first = await acquireWriteLock(file, "test");
    await rm(file); // as an operator clearing locks/ would
    other!.send("go");
    expect(await other!.next()).toBe("got");
    const theirs = await readFile(file, "utf8");
    await first.release();
    expect(await readFile(file, "utf8")).toBe(theirs);
    other!.send("release");
    expect(await other!.next()).toBe("released");
    expect(existsSync(file)).toBe(false);
  });

  test("the same process's later lock survives the release of its earlier, lost one (tokens, not pids)", async () => {
    const { file } = await lockDir();
    const first = await acquireWriteLock(file, "sync");
    await rm(file);
    const second = await acquireWriteLock(file, "watch");
    const content = await readFile(file, "utf8");
    await first.release();
    expect(await readFile(file, "utf8")).toBe(content);
    await expectHeld(
      acquireWriteLock(file, "reindex"),
      `another postindex watch (pid ${process.pid}, since ${JSON.parse(content).since}) is writing to this index`,
    );
    await second.release();
    expect(existsSync(file)).toBe(false);
  });
});
