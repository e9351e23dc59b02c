import {
  Meilisearch,
  MeilisearchApiError,
  MeilisearchTaskTimeOutError,
  type EnqueuedTask,
  type Health,
  type Index,
  type MeilisearchErrorResponse,
  type RecordAny,
  type Task,
  type TaskUidOrEnqueuedTask,
} from "meilisearch";
import type { SearchDocument } from "../document-types.js";
import { MeiliTaskError, PostindexError } from "../errors.js";
import { taskError, toMeiliError } from "./errors.js";
import { createHttpClient, type MeiliHttpClient } from "./http.js";
import { findOrCreateKey, type SearchKeyOptions } from "./search-key.js";

// The one place that imports "meilisearch": everything else takes these types from here.
export type {
  EnqueuedTask,
  Health,
  Hit,
  Index,
  Meilisearch,
  MeilisearchErrorResponse,
  RecordAny,
  SearchResponse,
  Settings,
  Task,
  TaskUidOrEnqueuedTask,
} from "meilisearch";

/** Options for {@link createMeiliClient}. */
export interface MeiliClientOptions {
  /** Base URL of the server, e.g. `http://127.0.0.1:7700`. */
  readonly url: string;
  /** Admin or master key; omit for a server without a master key. */
  readonly apiKey?: string;
  /**
   * Per HTTP request (connect, headers, body); a server that does not answer in time is "unavailable".
   * @default 5000
   */
  readonly timeoutMs?: number;
  /**
   * Keep-alive sockets to the server.
   * @default 16
   */
  readonly connections?: number;
  /**
   * How often {@link MeiliClient.waitForTask} polls the task.
   * @default 20
   */
  readonly taskPollMs?: number;
}

/** Every wait on a task names its own deadline: the client's 5 s default is too short for indexing. */
export interface WaitOptions {
  /** Give up (with a {@link MeiliTaskError}) when the task has not finished after this many ms. */
  readonly timeoutMs: number;
}

/** A task, its number, or the (promise of the) answer that enqueued it. */
export type TaskRef = TaskUidOrEnqueuedTask | Promise<EnqueuedTask> | Promise<number>;

/** Creates a {@link MeiliClient} over a keep-alive undici transport (see `http.ts`). */
export function createMeiliClient(options: MeiliClientOptions): MeiliClient {
  return new MeiliClient(options);
}

/**
 * What the indexer and the API need from Meilisearch, with postindex errors:
 * unreachable server → {@link MeiliUnavailableError}, failed task → {@link MeiliTaskError},
 * refused request → `PostindexError("meili_request_failed")` (see {@link meiliErrorCode}).
 * Calls made on {@link MeiliClient.raw} or {@link MeiliClient.index} throw the client's own errors;
 * pass them through `toMeiliError`.
 */
export class MeiliClient {
  /** The meilisearch-js client, for everything not wrapped here. */
  readonly raw: Meilisearch;
  /** The server's base URL. */
  readonly url: string;
  readonly #http: MeiliHttpClient;
  readonly #taskPollMs: number;
  /**
   * Origin, path prefix and JSON headers of the requests sent past the meilisearch client
   * ({@link MeiliClient.searchBytes}, {@link MeiliClient.addNdjsonDocuments}), built once.
   */
  readonly #directTarget: { origin: string; prefix: string; headers: Readonly<Record<string, string>> };

  constructor(options: MeiliClientOptions) {
    this.url = options.url;
    this.#taskPollMs = options.taskPollMs ?? 20;
    this.#http = createHttpClient({
      timeoutMs: options.timeoutMs ?? 5_000,
      connections: options.connections ?? 16,
      createApiError: (response, body) =>
        new MeilisearchApiError(response, body as MeilisearchErrorResponse | undefined),
    });
    try {
      this.raw = new Meilisearch({
        host: options.url,
        apiKey: options.apiKey,
        httpClient: this.#http,
        defaultWaitOptions: { timeout: 60_000, interval: this.#taskPollMs },
      });
      // As the meilisearch client reads its host: `http://` unless a scheme is given.
      const base = new URL(/^https?:\/\//.test(options.url) ? options.url : `http://${options.url}`);
      const headers: Record<string, string> = { "content-type": "application/json" };
      if (options.apiKey) headers["authorization"] = `Bearer ${options.apiKey}`;
      this.#directTarget = { origin: base.origin, prefix: base.pathname.replace(/\/*$/, "/"), headers };
    } catch (error) {
      throw new PostindexError("config_invalid", `not a Meilisearch URL: ${options.url}`, { cause: error });
    }
  }

  /**
   * One search of index `uid`: `body` (a JSON search request) sent as it is, and Meilisearch's
   * answer as the bytes it sent, for a caller that reads them without parsing them all (`GET
   * /search`). Skips the meilisearch client (its `URL`, `Headers` and abort signal per request).
   * @param timeoutMs the longest the answer may take @default the client's `timeoutMs`
   * @throws MeiliUnavailableError when the server cannot be reached or does not answer in time;
   *   the client's `MeilisearchApiError` for a refused request (pass both through `toMeiliError`)
   */
  searchBytes(uid: string, body: string, timeoutMs?: number): Promise<Buffer> {
    const { origin, prefix, headers } = this.#directTarget;
    return this.#http.postBytes({
      origin,
      path: `${prefix}indexes/${encodeURIComponent(uid)}/search`,
      headers,
      body,
      timeoutMs,
    });
  }

  /**
   * One multi-search: `body` (a JSON `{"queries": [...]}`) sent as it is, Meilisearch's answer as
   * the bytes it sent. As {@link MeiliClient.searchBytes}, without the meilisearch client's
   * per-request cost (the Algolia routes, issue 13).
   * @param timeoutMs the longest the answer may take @default the client's `timeoutMs`
   * @throws as {@link MeiliClient.searchBytes}
   */
  multiSearchBytes(body: string, timeoutMs?: number): Promise<Buffer> {
    const { origin, prefix, headers } = this.#directTarget;
    return this.#http.postBytes({ origin, path: `${prefix}multi-search`, headers, body, timeoutMs });
  }

  /**
   * Adds or replaces documents of index `uid` from NDJSON bytes (one document per line), primary
   * key `id`, and resolves with the task's uid once Meilisearch has enqueued it. The bytes go out
   * as they are: the meilisearch client's `addDocumentsFromString` takes text, and a bulk pass
   * spent more CPU turning its batches into text and back into bytes than on anything but reading.
   * @throws as {@link MeiliClient.searchBytes}
   */
  async addNdjsonDocuments(uid: string, ndjson: Buffer, timeoutMs?: number): Promise<number> {
    const { origin, prefix, headers } = this.#directTarget;
    const answer = await this.#http.postBytes({
      origin,
      path: `${prefix}indexes/${encodeURIComponent(uid)}/documents?primaryKey=id`,
      headers: { ...headers, "content-type": "application/x-ndjson" },
      body: ndjson,
      timeoutMs,
    });
    const enqueued = JSON.parse(answer.toString("utf8")) as Partial<EnqueuedTask>;
    if (typeof enqueued.taskUid !== "number") {
      throw new MeiliTaskError(`Meilisearch enqueued no task for documents of index "${uid}"`);
    }
    return enqueued.taskUid;
  }

  /** A handle on index `uid` (no request is made). */
  index<T extends RecordAny = SearchDocument>(uid: string): Index<T> {
    return this.raw.index<T>(uid);
  }

  /**
   * Waits for a task to finish and returns it when it succeeded.
   * @throws MeiliTaskError when it failed or was canceled (Meilisearch's message, `cause` = the task),
   *   or did not finish within `timeoutMs`.
   * @see https://www.meilisearch.com/docs/learn/async/asynchronous_operations
   */
  async waitForTask(task: TaskRef, options: WaitOptions): Promise<Task> {
    const finished = await this.#settle(task, options.timeoutMs);
    if (finished.status !== "succeeded") throw taskError(finished);
    return finished;
  }

  /**
   * Waits only until Meilisearch has accepted a write and returns its task uid, so a caller can
   * release the payload and wait for the task later (or again, after a retry) without resending.
   * @throws MeiliUnavailableError when the server cannot be reached; `meili_request_failed` when it refuses.
   */
  async waitForEnqueued(task: TaskRef, action: string): Promise<number> {
    try {
      const enqueued = await task;
      return typeof enqueued === "number" ? enqueued : enqueued.taskUid;
    } catch (error) {
      throw toMeiliError(error, action);
    }
  }

  /** The server's `/health`. @throws MeiliUnavailableError when it cannot be reached. */
  async health(): Promise<Health> {
    try {
      return await this.raw.health();
    } catch (error) {
      throw toMeiliError(error, "checking Meilisearch health");
    }
  }

  /**
   * Atomically exchanges the contents of indexes `a` and `b` (both must exist) and waits for it.
   * With `rename: true`, `a` is renamed to `b` instead (`b` must not exist).
   * @see https://www.meilisearch.com/docs/reference/api/indexes/swap-indexes
   */
  async swapIndexes(a: string, b: string, options: WaitOptions & { readonly rename?: boolean }): Promise<Task> {
    return this.waitForTask(this.raw.swapIndexes([{ indexes: [a, b], rename: options.rename ?? false }]), options);
  }

  /**
   * Creates index `uid` with primary key `id` unless it exists.
   * @returns whether it was created.
   */
  async ensureIndex(uid: string, options: WaitOptions & { readonly primaryKey?: string }): Promise<boolean> {
    const task = await this.#settle(
      this.raw.createIndex(uid, { primaryKey: options.primaryKey ?? "id" }),
      options.timeoutMs,
    );
    if (task.status === "succeeded") return true;
    if (task.error?.code === "index_already_exists") return false;
    throw taskError(task);
  }

  /**
   * Deletes index `uid` and waits for it.
   * @returns whether there was an index to delete.
   */
  async deleteIndexIfExists(uid: string, options: WaitOptions): Promise<boolean> {
    const task = await this.#settle(this.raw.deleteIndex(uid), options.timeoutMs);
    if (task.status === "succeeded") return true;
    if (task.error?.code === "index_not_found") return false;
    throw taskError(task);
  }

  /**
   * Number of documents in index `uid` (exact once its tasks are done).
   * @throws PostindexError `meili_request_failed` with code `index_not_found` when it does not exist.
   */
  async getDocumentCount(uid: string): Promise<number> {
    try {
      return (await this.raw.index(uid).getStats()).numberOfDocuments;
    } catch (error) {
      throw toMeiliError(error, `counting the documents of index "${uid}"`);
    }
  }

  /**
   * A key that may only search the given indexes, so the API never holds the admin key.
   * Found or created; the same scope always gives the same key. See {@link findOrCreateKey}.
   * @returns the key, or `null` when the server has no master key (no key is needed then).
   * @see https://www.meilisearch.com/docs/reference/api/keys
   */
  async getSearchKey(options: SearchKeyOptions): Promise<string | null> {
    return findOrCreateKey(this.raw, options);
  }

  /** Closes the keep-alive sockets. */
  async close(): Promise<void> {
    await this.#http.close();
  }

  /** Waits for a task to finish, whatever its status. */
  async #settle(task: TaskRef, timeoutMs: number): Promise<Task> {
    let taskUid: number | undefined;
    try {
      const enqueued = await task;
      taskUid = typeof enqueued === "number" ? enqueued : enqueued.taskUid;
      return await this.raw.tasks.waitForTask(taskUid, { timeout: timeoutMs, interval: this.#taskPollMs });
    } catch (error) {
      if (error instanceof MeilisearchTaskTimeOutError) {
        throw new MeiliTaskError(`Meilisearch task ${taskUid} did not finish within ${timeoutMs} ms`, { cause: error });
      }
      throw toMeiliError(error, taskUid === undefined ? "enqueuing a Meilisearch task" : `waiting for task ${taskUid}`);
    }
  }
}
