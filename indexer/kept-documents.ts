import { fromDocumentId, toDocumentId, type KeptDocument, type RecordOutcome } from "../src/index.js";

type Rejection = Extract<RecordOutcome, { kind: "rejected" }>;

/**
 * What one read of a file could not make out: the rejections that may stand for documents the file
 * had in the index. Collected while the file is read, then asked by {@link keptDocuments}.
 */
export class FileDamage {
  /** The file as a whole did not parse or could not be read. */
  #wholeFile: Rejection | undefined;
  /** Broken records whose id is known, by document id. */
  readonly #named = new Map<string, Rejection>();
  /** Broken records whose id could not be read. */
  readonly #unnamed: Rejection[] = [];

  note(rejection: Rejection): void {
    if (rejection.scope === "file") this.#wholeFile ??= rejection;
    else if (rejection.id === null) this.#unnamed.push(rejection);
    else this.#named.set(toDocumentId(rejection.id), rejection);
  }

  /**
   * Which of `missing` — document ids this file held before that no valid record of it claims now —
   * stay in the index: all of them when the file as a whole is unreadable; a record broken in
   * place keeps its own; broken records without a readable id keep the rest only when they are at
   * least as many (each may be one of them), otherwise a post deleted at the source would stay.
   */
  keptDocuments(file: string, missing: Iterable<string>): Map<string, KeptDocument> {
    const kept = new Map<string, KeptDocument>();
    const unexplained: string[] = [];
    for (const documentId of missing) {
      const own = this.#wholeFile ?? this.#named.get(documentId);
      if (own) kept.set(documentId, keptFor(documentId, file, own));
      else unexplained.push(documentId);
    }
    if (unexplained.length > 0 && unexplained.length <= this.#unnamed.length) {
      for (const [at, documentId] of unexplained.entries())
        kept.set(documentId, keptFor(documentId, file, this.#unnamed[at] as Rejection));
    }
    return kept;
  }
}

function keptFor(documentId: string, file: string, rejection: Rejection): KeptDocument {
  const where = rejection.line === null ? "the file" : `line ${rejection.line}`;
  const because =
    rejection.scope === "file"
      ? `the file cannot be read (${rejection.message}); its last good documents stay until it can`
      : rejection.id === null
        ? `${where} is broken (${rejection.message}) and names no id; it may be this record, so its last good version stays`
        : `${where}, this record, is broken (${rejection.message}); its last good version stays`;
  return { id: fromDocumentId(documentId), file, line: rejection.line, reason: because };
}
