import PQueue from "p-queue";
import { toMeiliError, type MeiliClient, type SearchDocument, type TaskRef } from "../src/index.js";
import { retryWhileUnavailable, type RetryOptions } from "./retry.js";

/** Options for {@link DocumentPusher}. */
export interface DocumentPusherOptions {
  /**
   * A batch is sent once its NDJSON reaches this many bytes: well under Meilisearch's 100 MB
   * payload limit, large enough that its auto-batcher indexes efficiently.
   * @default 8 MiB
   */
  readonly batchBytes?: number;
  /** Batches in flight (sent, task not yet finished). @default 2 */
  readonly concurrency?: number;
  /** How long one batch's task may take. @default 600000 */
  readonly taskTimeoutMs?: number;
  /** Backoff while Meilisearch is unreachable. */
  readonly retry: RetryOptions;
  /** Told after each batch whose task succeeded. */
  readonly onBatchDone?: (documents: number) => void;
}

/**
 * Streams documents and deletions into one index: documents are serialised once into NDJSON
 * batches sized by bytes, sent through a p-queue, and `add()` waits (backpressure) while enough
 * batches are in flight, so memory stays flat however many documents pass. Every task is waited
 * for and its status checked; the first failure is thrown by the next `add()` or by `flush()`.
 */
export class DocumentPusher {
  readonly #client: MeiliClient;
  readonly #indexUid: string;
  readonly #options: Required<Omit<DocumentPusherOptions, "onBatchDone">> & Pick<DocumentPusherOptions, "onBatchDone">;
  readonly #queue: PQueue;
  #lines: string[] = [];
  #bytes = 0;
  #failure: unknown;
  #pushed = 0;

  constructor(client: MeiliClient, indexUid: string, options: DocumentPusherOptions) {
    this.#client = client;
    this.#indexUid = indexUid;
    this.#options = { batchBytes: 8 * 2 ** 20, concurrency: 2, taskTimeoutMs: 600_000, ...options };
    this.#queue = new PQueue({ concurrency: this.#options.concurrency });
  }

  /** Documents whose batch has been handed to the queue so far. */
  get pushedCount(): number {
    return this.#pushed;
  }

  /** Adds (or replaces, by id) one document; waits while the queue is full. */
  async add(document: SearchDocument): Promise<void> {
    this.#throwIfFailed();
    const line = JSON.stringify(document);
    this.#lines.push(line);
    this.#bytes += Buffer.byteLength(line) + 1;
    this.#pushed += 1;
    if (this.#bytes >= this.#options.batchBytes) await this.#sendBatch();
  }

  /** Deletes documents by id (after every earlier batch: Meilisearch runs an index's tasks in order). */
  async delete(ids: readonly string[]): Promise<void> {
    if (ids.length === 0) return;
    await this.#sendBatch();
    const index = this.#client.index(this.#indexUid);
    this.#enqueue(ids.length, () => index.deleteDocuments([...ids]), 0);
    await this.#queue.onSizeLessThan(this.#options.concurrency);
  }

  /** Sends what is buffered and waits until every task has finished. */
  async flush(): Promise<void> {
    await this.#sendBatch();
    await this.#queue.onIdle();
    this.#throwIfFailed();
  }

  async #sendBatch(): Promise<void> {
    if (this.#lines.length === 0) return;
    const body = this.#lines.join("\n");
    const count = this.#lines.length;
    this.#lines = [];
    this.#bytes = 0;
    const index = this.#client.index(this.#indexUid);
    this.#enqueue(count, () => index.addDocumentsFromString(body, "application/x-ndjson", { primaryKey: "id" }), count);
    // Backpressure: the caller waits here while `concurrency` batches are already waiting.
    await this.#queue.onSizeLessThan(this.#options.concurrency);
    this.#throwIfFailed();
  }

  #enqueue(size: number, send: () => TaskRef, documents: number): void {
    const { retry, taskTimeoutMs, onBatchDone } = this.#options;
    this.#queue
      .add(async () => {
        await retryWhileUnavailable(async () => {
          try {
            await this.#client.waitForTask(send(), { timeoutMs: taskTimeoutMs });
          } catch (error) {
            throw toMeiliError(error, `writing ${size} documents to index "${this.#indexUid}"`);
          }
        }, retry);
        if (documents > 0) onBatchDone?.(documents);
      })
      .catch((error: unknown) => {
        this.#failure ??= error;
      });
  }

  #throwIfFailed(): void {
    if (this.#failure !== undefined) throw this.#failure;
  }
}
