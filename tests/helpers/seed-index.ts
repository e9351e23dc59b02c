import {
  applySettings,
  evaluateRecord,
  toSearchDocument,
  type MeiliClient,
  type SearchDocument,
} from "../../src/index.js";

const TASK = { timeoutMs: 60_000 };

/** What {@link seedIndex} put in the index and what it left out. */
export interface SeededIndex {
  readonly uid: string;
  readonly documents: readonly SearchDocument[];
  /** Record ids the indexer would exclude (unreviewed, noindex) or reject. */
  readonly leftOut: readonly string[];
}

/**
 * Creates index `uid` with postindex's settings and fills it the way the indexer does: each record
 * normalised, validated and classified, and only the indexed ones mapped to search documents.
 */
export async function seedIndex(client: MeiliClient, uid: string, records: readonly unknown[]): Promise<SeededIndex> {
  const documents: SearchDocument[] = [];
  const leftOut: string[] = [];
  records.forEach((raw, position) => {
    const outcome = evaluateRecord(raw, { file: "seed.ndjson", line: position + 1, item: null });
    if (outcome.kind === "indexed") documents.push(toSearchDocument(outcome.record, "seed.ndjson"));
    else leftOut.push(outcome.id ?? `#${position}`);
  });
  await client.ensureIndex(uid, TASK);
  await applySettings(client, uid);
  if (documents.length > 0) await client.waitForTask(client.index(uid).addDocuments(documents), TASK);
  return { uid, documents, leftOut };
}

/** Options for {@link post}: the fields related posts and facets look at. */
export interface PostFields {
  readonly title?: string;
  readonly entities?: readonly (readonly [type: string, name: string])[];
  readonly stack?: readonly string[];
  readonly tools?: readonly string[];
  readonly difficulty?: string;
  readonly lastReviewed?: string;
  readonly viewCount?: number;
  readonly status?: string;
  readonly noindex?: boolean;
  readonly paragraphs?: readonly string[];
}

/** A canonical record for planted test sets: `post("a", {entities: [["tool", "x"]]})`. */
export function post(id: string, fields: PostFields = {}): Record<string, unknown> {
  return {
    id,
    title: fields.title ?? `post ${id}`,
    sections: [{ heading: "notes", paragraphs: [...(fields.paragraphs ?? [`notes for ${id}`])] }],
    meta: {
      stack: [...(fields.stack ?? ["general"])],
      tools: [...(fields.tools ?? [])],
      ...(fields.difficulty === undefined ? {} : { difficulty: fields.difficulty }),
      ...(fields.viewCount === undefined ? {} : { view_count: fields.viewCount }),
      revision: { status: fields.status ?? "reviewed", last_reviewed: fields.lastReviewed ?? "2020-01-01" },
      flags: { noindex: fields.noindex ?? false },
      entities: (fields.entities ?? []).map(([type, name]) => ({ type, name })),
    },
  };
}
