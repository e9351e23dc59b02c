import { createReadStream } from "node:fs";
import { createInterface } from "node:readline";
import { request } from "undici";

/**
 * The baseline: Meilisearch alone ingesting prepared documents. Sends the NDJSON file in batches of
 * the same byte size postindex uses, straight over HTTP, then waits for every task: what a
 * hand-written loader with no parsing or normalisation would cost.
 */
export async function ingestNdjson(target: { url: string; apiKey: string }, indexUid: string, file: string, batchBytes: number): Promise<void> {
  const headers = { authorization: `Bearer ${target.apiKey}`, "content-type": "application/x-ndjson" };
  const taskUids: number[] = [];
  let lines: string[] = [];
  let bytes = 0;
  const send = async (): Promise<void> => {
    if (lines.length === 0) return;
    const body = lines.join("\n");
    lines = [];
    bytes = 0;
    const response = await request(`${target.url}/indexes/${indexUid}/documents?primaryKey=id`, { method: "POST", headers, body });
    const answer = (await response.body.json()) as { taskUid: number };
    taskUids.push(answer.taskUid);
  };
  for await (const line of createInterface({ input: createReadStream(file, "utf8"), crlfDelay: Infinity })) {
    lines.push(line);
    bytes += Buffer.byteLength(line) + 1;
    if (bytes >= batchBytes) await send();
  }
  await send();
  for (const uid of taskUids) await waitForTask(target, uid);
}

/** Polls a task until it ends; throws unless it succeeded. */
export async function waitForTask(target: { url: string; apiKey: string }, taskUid: number): Promise<void> {
  for (;;) {
    const response = await request(`${target.url}/tasks/${taskUid}`, { headers: { authorization: `Bearer ${target.apiKey}` } });
    const task = (await response.body.json()) as { status: string; error?: { message: string } };
    if (task.status === "succeeded") return;
    if (task.status === "failed" || task.status === "canceled") throw new Error(`task ${taskUid} ${task.status}: ${task.error?.message}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
