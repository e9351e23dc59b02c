import PQueue from "p-queue";
import { toMeiliError, type MeiliClient, type TaskRef } from "../src/index.js";
import { NdjsonBatch } from "./ndjson-batch.js";
import { retryWhileUnavailable, type RetryOptions } from "./retry.js";

/** Options for {@link DocumentPusher}. */
export interface DocumentPusherOptions {
  /**
   * A batch is sent once its NDJSON reaches this many bytes: well under Meilisearch's 100 MB
   * payload limit, large enough that its auto-batcher indexes efficiently.
   * @default 8 MiB
   */
  readonly batchBytes?: number;
  /**
   * Tasks sent and not yet finished. Meilisearch batches the tasks waiting in its queue into one
   * indexing run, so letting several wait there is what makes bulk indexing fast; their payloads
   * are no longer held here once sent.
   * @default 16
   */
  readonly maxUnfinishedTasks?: number;
  /** How long one task may take once sent. @default 600000 */
  readonly taskTimeoutMs?: number;
  /** Backoff while Meilisearch is unreachable. */
  readonly retry: RetryOptions;
  /** Told after each batch of documents whose task succeeded. */
  readonly onBatchDone?: (documents: number) => void;
  /**
   * Nothing is sent before it resolves (a rebuild reads the folder while its index is being
   * prepared); when it rejects, the pusher fails with its error.
   */
  readonly sendAfter?: Promise<unknown>;
}

/** A write waiting to be sent; `send` enqueues it in Meilisearch. */
interface WriteJob {
  readonly description: string;
  readonly documents: number;
  readonly send: () => TaskRef;
  /** Told once Meilisearch has accepted the write: its payload is no longer needed. */
  readonly sent?: () => void;
}

/** Payloads waiting to be sent at once (the rest of the memory bound: `batchBytes` each). */
const UNSENT_LIMIT = 2;

/**
 * Streams documents and deletions into one index: documents are serialised once into NDJSON
 * batches sized by bytes and sent in order; `add()` waits (backpressure) while payloads pile up
 * unsent or too many tasks are unfinished, so memory stays flat however many documents pass.
 * A send is retried while the server is unreachable; a sent task is waited for (never sent
 * twice) and its status checked. The first failure is thrown by the next `add()` or by `flush()`.
 */
export class DocumentPusher {
  readonly #client: MeiliClient;
  readonly #indexUid: string;
  readonly #options: Required<Omit<DocumentPusherOptions, "onBatchDone" | "sendAfter">> &
    Pick<DocumentPusherOptions, "onBatchDone">;
  /** Settles once sending may start (`sendAfter`); never rejects: a failure is recorded by `#fail`. */
  readonly #sendable: Promise<void>;
  readonly #sendQueue = new PQueue({ concurrency: 1 });
  // Jobs wait in our own FIFO, not in the queued function: p-queue keeps consumed entries (and
  // whatever their closures hold, here megabytes of NDJSON) until it compacts its array.
  readonly #jobs: WriteJob[] = [];
  readonly #unfinished = new Set<Promise<void>>();
  /** The wait on the task sent last (never rejects: failures are recorded by `#fail`). */
  #lastTask: Promise<void> = Promise.resolve();
  readonly #batch: NdjsonBatch;
  #failure: unknown;
  #startedSending = false;

  constructor(client: MeiliClient, indexUid: string, options: DocumentPusherOptions) {
    this.#client = client;
    this.#indexUid = indexUid;
    const { sendAfter, ...rest } = options;
    this.#options = { batchBytes: 8 * 2 ** 20, maxUnfinishedTasks: 16, taskTimeoutMs: 600_000, ...rest };
    this.#sendable = (sendAfter ?? Promise.resolve()).then(
      () => {},
      (error: unknown) => this.#fail(error),
    );
    // Room for a full batch and the line that tips it over, as a rule without growing.
    this.#batch = new NdjsonBatch(this.#options.batchBytes + 2 ** 20);
  }

  /**
   * Adds (or replaces, by id) one document, given as its JSON text on one line (see `documentLine`);
   * waits while too much is unsent or unfinished.
   */
  async addLine(line: string): Promise<void> {
    this.#throwIfFailed();
    this.#batch.add(line);
    if (this.#batch.size >= this.#options.batchBytes) await this.#sendBatch();
  }

  /** Whether a batch of documents (or a deletion) has been handed on to be sent: Meilisearch may be busy with it. */
  get startedSending(): boolean {
    return this.#startedSending;
  }

  /** Deletes documents by id, after every earlier write (Meilisearch runs an index's tasks in order). */
  async delete(ids: readonly string[]): Promise<void> {
    if (ids.length === 0) return;
    await this.#sendBatch();
    const index = this.#client.index(this.#indexUid);
    await this.#enqueue({
      description: `deleting ${ids.length} documents`,
      documents: 0,
      send: () => index.deleteDocuments([...ids]),
    });
  }

  /** Sends what is buffered and waits until every task has finished. */
  async flush(): Promise<void> {
    await this.#sendable;
    this.#throwIfFailed();
    await this.#sendBatch();
    await this.#sendQueue.onIdle();
    while (this.#unfinished.size > 0) await Promise.all(this.#unfinished);
    this.#throwIfFailed();
  }

  async #sendBatch(): Promise<void> {
    if (this.#batch.lines === 0) return;
    const documents = this.#batch.lines;
    const body = this.#batch.take();
    await this.#enqueue({
      description: `writing ${documents} documents`,
      documents,
      send: () => this.#client.addNdjsonDocuments(this.#indexUid, body),
      sent: () => this.#batch.recycle(body),
    });
  }

  async #enqueue(job: WriteJob): Promise<void> {
    this.#startedSending = true;
    this.#jobs.push(job);
    this.#sendQueue.add(() => this.#sendNextJob()).catch((error: unknown) => this.#fail(error));
    await this.#sendQueue.onSizeLessThan(UNSENT_LIMIT);
    this.#throwIfFailed();
  }

  async #sendNextJob(): Promise<void> {
    await this.#sendable;
    const job = this.#jobs.shift();
    if (!job || this.#failure !== undefined) return;
    while (this.#unfinished.size >= this.#options.maxUnfinishedTasks) await Promise.race(this.#unfinished);
    const action = `${job.description} to index "${this.#indexUid}"`;
    const taskUid = await retryWhileUnavailable(
      () => this.#client.waitForEnqueued(job.send(), action),
      this.#options.retry,
    );
    job.sent?.();
    this.#track(taskUid, job.documents, action);
  }

  /**
   * Waits for a sent task in the background, after the tasks sent before it: Meilisearch runs an
   * index's tasks in order, so polling only the oldest unfinished one loses nothing, where polling
   * each of them every 20 ms meant hundreds of requests a second, CPU taken from the indexing.
   * A separate method on purpose: closures made in `#sendNextJob` would share its scope, and with
   * it the job's payload, until the task ends.
   */
  #track(taskUid: number, documents: number, action: string): void {
    const { retry, taskTimeoutMs, onBatchDone } = this.#options;
    const finished: Promise<void> = this.#lastTask
      .then(() => retryWhileUnavailable(() => this.#client.waitForTask(taskUid, { timeoutMs: taskTimeoutMs }), retry))
      .then(() => {
        if (documents > 0) onBatchDone?.(documents);
      })
      .catch((error: unknown) => this.#fail(toMeiliError(error, action)))
      .finally(() => this.#unfinished.delete(finished));
    this.#unfinished.add(finished);
    this.#lastTask = finished;
  }

  #fail(error: unknown): void {
    this.#failure ??= error;
  }

  #throwIfFailed(): void {
    if (this.#failure !== undefined) throw this.#failure;
  }
}
