import {
  createIndexStamps,
  documentLine,
  preparedDocumentLine,
  type PreparedDocument,
  type SearchDocument,
} from "../src/index.js";
import type { IndexerContext } from "./context.js";
import { DocumentPusher } from "./document-pusher.js";
import type { IndexState } from "./index-state.js";

/**
 * Every document pushed by this process is stamped `indexed_at` from one sequence (writers come and
 * go, e.g. one per watch batch), so the API's related-posts index finds what changed.
 */
const stampIndexed = createIndexStamps();

/** What one pass changed in the index. */
export interface SyncChanges {
  upserted: number;
  deleted: number;
  unchanged: number;
  /** Documents kept although their record is now broken (until the file parses again). */
  keptBroken: number;
}

/**
 * Writes a pass's decisions to one index and keeps `state` (what the index holds) and the counts
 * in step: a document is pushed only when its content hash or source file differs from the index.
 */
export class IndexWriter {
  readonly changes: SyncChanges = { upserted: 0, deleted: 0, unchanged: 0, keptBroken: 0 };
  readonly #state: IndexState;
  readonly #pusher: DocumentPusher;
  readonly #gone: string[] = [];

  /** `sendAfter`: nothing is written before it resolves, and its rejection fails the writer (see `DocumentPusher`). */
  constructor(context: IndexerContext, targetUid: string, state: IndexState, sendAfter?: Promise<unknown>) {
    this.#state = state;
    this.#pusher = new DocumentPusher(context.client, targetUid, {
      retry: context.retry,
      ...(sendAfter && { sendAfter }),
    });
  }

  /** Whether it has handed Meilisearch anything to do yet (see `DocumentPusher.startedSending`). */
  get startedSending(): boolean {
    return this.#pusher.startedSending;
  }

  upsert(document: SearchDocument): Promise<void> {
    return this.#write(document, () => documentLine(document, stampIndexed()));
  }

  /** {@link upsert} of a document built on another thread. */
  upsertPrepared(document: PreparedDocument): Promise<void> {
    return this.#write(document, () => preparedDocumentLine(document, stampIndexed()));
  }

  async #write(
    document: Pick<SearchDocument, "id" | "source_file" | "content_hash">,
    line: () => string,
  ): Promise<void> {
    const current = this.#state.get(document.id);
    if (current?.hash === document.content_hash && current.file === document.source_file) {
      this.changes.unchanged += 1;
      return;
    }
    await this.#pusher.addLine(line());
    this.#state.set(document.id, { file: document.source_file, hash: document.content_hash });
    this.changes.upserted += 1;
  }

  /** Removes the document when the index holds it (deletions are sent by `finish`). */
  remove(documentId: string): void {
    if (this.#state.has(documentId)) this.#gone.push(documentId);
  }

  /** A document left as it is because its record is broken for now. */
  keepBroken(): void {
    this.changes.keptBroken += 1;
  }

  /** Sends the deletions after every upsert and waits for all tasks. */
  async finish(): Promise<SyncChanges> {
    await this.#pusher.delete(this.#gone);
    await this.#pusher.flush();
    for (const documentId of this.#gone) this.#state.delete(documentId);
    this.changes.deleted = this.#gone.length;
    return this.changes;
  }
}
