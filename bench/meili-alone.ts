import { createReadStream } from "node:fs";
import { createInterface } from "node:readline";
import { request } from "undici";
import { applySettings, type MeiliClient } from "../src/index.js";

/** The size of the indexer's document batches (`DocumentPusher`), which the baselines send too. */
export const INDEXER_BATCH_BYTES = 8 * 2 ** 20;

/** Where Meilisearch listens and the key that may write. */
export interface MeiliTarget {
  url: string;
  apiKey: string;
}

/**
 * Reads prepared documents (NDJSON, one per line) into request bodies of about `batchBytes` each,
 * split the way postindex's DocumentPusher splits its batches: a batch is sent once it reaches
 * `batchBytes`. Done before the baseline is timed, so the timed part is only what Meilisearch does.
 */
export async function readBatches(file: string, batchBytes: number): Promise<{ bodies: Buffer[]; documents: number }> {
  const bodies = new NdjsonBodies(batchBytes);
  let documents = 0;
  for await (const line of createInterface({ input: createReadStream(file, "utf8"), crlfDelay: Infinity })) {
    if (line === "") continue;
    bodies.add(line);
    documents += 1;
  }
  return { bodies: bodies.finish(), documents };
}

/** Document lines gathered into NDJSON request bodies, each sent once it reaches `batchBytes`. */
export class NdjsonBodies {
  readonly #batchBytes: number;
  readonly #bodies: Buffer[] = [];
  #lines: string[] = [];
  #bytes = 0;

  constructor(batchBytes: number) {
    this.#batchBytes = batchBytes;
  }

  add(line: string): void {
    this.#lines.push(line);
    this.#bytes += Buffer.byteLength(line) + 1;
    if (this.#bytes >= this.#batchBytes) this.#flush();
  }

  finish(): Buffer[] {
    if (this.#lines.length > 0) this.#flush();
    return this.#bodies;
  }

  #flush(): void {
    this.#bodies.push(Buffer.from(this.#lines.join("\n")));
    this.#lines = [];
    this.#bytes = 0;
  }
}

/**
 * The baseline, "Meilisearch alone": what any loader of these documents must do too. Creates the
 * index (primary key `id`), applies postindex's settings (`applySettings`, waiting for the task),
 * POSTs every prepared body as NDJSON straight over HTTP, then waits for every task. No parsing,
 * normalising or checking on this side: the bodies were prepared beforehand.
 */
export async function loadAlone(
  client: MeiliClient,
  target: MeiliTarget,
  indexUid: string,
  bodies: readonly Buffer[],
): Promise<void> {
  await client.ensureIndex(indexUid, { timeoutMs: 60_000, primaryKey: "id" });
  await applySettings(client, indexUid);
  await sendAlone(target, indexUid, bodies);
}

/** POSTs NDJSON bodies of documents to the index straight over HTTP, then waits for every task. */
export async function sendAlone(target: MeiliTarget, indexUid: string, bodies: readonly Buffer[]): Promise<void> {
  const headers = { authorization: `Bearer ${target.apiKey}`, "content-type": "application/x-ndjson" };
  const taskUids: number[] = [];
  for (const body of bodies) {
    const response = await request(`${target.url}/indexes/${encodeURIComponent(indexUid)}/documents?primaryKey=id`, {
      method: "POST",
      headers,
      body,
    });
    const answer = (await response.body.json()) as { taskUid?: number; message?: string };
    if (answer.taskUid === undefined)
      throw new Error(`sending documents: HTTP ${response.statusCode} ${answer.message ?? ""}`);
    taskUids.push(answer.taskUid);
  }
  for (const uid of taskUids) await waitForTask(target, uid);
}

/** Polls a task until it ends; throws unless it succeeded. */
async function waitForTask(target: MeiliTarget, taskUid: number): Promise<void> {
  for (;;) {
    const response = await request(`${target.url}/tasks/${taskUid}`, {
      headers: { authorization: `Bearer ${target.apiKey}` },
    });
    const task = (await response.body.json()) as { status: string; error?: { message: string } };
    if (task.status === "succeeded") return;
    if (task.status === "failed" || task.status === "canceled")
      throw new Error(`task ${taskUid} ${task.status}: ${task.error?.message}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
