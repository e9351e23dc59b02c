import { createHash } from "node:crypto";
import { toDocumentId } from "./document-id.js";
import type { SearchDocument } from "./document-types.js";
import { normaliseFacetValue } from "./text/normalise-facet-value.js";
import type { ArticleRecord, Section } from "./records/schema.js";

/** `type:name`: how an entity is stored for filtering and counting. */
export function entityKey(entity: { name: string; type: string }): string {
  return `${entity.type}:${entity.name}`;
}

/**
 * Maps an indexed record to the document Meilisearch stores. Deterministic: the same record gives
 * the same document (and `content_hash`) whatever spelling it was exported in; `sourceFile` is the
 * only input that is not part of the hash, so a moved file changes no content.
 */
export function toSearchDocument(record: ArticleRecord, sourceFile: string): SearchDocument {
  const content = contentOf(record);
  // The two fields that are not content are added after hashing, in this order: the same document
  // as `{ ...content, source_file, content_hash }`, without copying its thirty fields.
  const contentJson = JSON.stringify(content);
  const document = content as SearchDocument;
  document.source_file = sourceFile;
  document.content_hash = hashText(contentJson);
  hashedJson.set(document, contentJson);
  return document;
}

/**
 * A search document as an indexing pass compares and sends it, built on any thread (a worker
 * thread sends it to the one that writes the index): what {@link toSearchDocument} would give,
 * as the JSON text of its content and the two fields that are not content.
 */
export interface PreparedDocument {
  id: string;
  source_file: string;
  content_hash: string;
  /** `JSON.stringify` of the document without `source_file` and `content_hash`. */
  contentJson: string;
}

/** {@link toSearchDocument}'s document as a {@link PreparedDocument}. */
export function prepareDocument(record: ArticleRecord, sourceFile: string): PreparedDocument {
  const content = contentOf(record);
  const contentJson = JSON.stringify(content);
  return { id: content.id, source_file: sourceFile, content_hash: hashText(contentJson), contentJson };
}

/** The line Meilisearch is sent for a {@link PreparedDocument}: {@link documentLine} of the same document, byte for byte. */
export function preparedDocumentLine(document: PreparedDocument, indexedAt: number): string {
  return lineFrom(document.contentJson, document.source_file, document.content_hash, indexedAt);
}

/** A document's fields but the two that are not content, in the order Meilisearch is sent them. */
function contentOf(record: ArticleRecord): Omit<SearchDocument, "source_file" | "content_hash"> {
  const meta = record.meta;
  const { noindex: _noindex, needs_human_review: _review, ...flags } = meta.flags ?? {};
  const lastReviewed = meta.revision.last_reviewed;
  const content: Omit<SearchDocument, "source_file" | "content_hash"> = {
    id: toDocumentId(record.id),
    source_id: record.id,
    title: record.title,
    site: record.site ?? siteFromId(record.id),
    intro: record.intro ?? null,
    sections: record.sections ?? [],
    body: sectionsText(record.sections ?? []),
    topic: meta.topic ?? null,
    summary: meta.summary ?? null,
    ai_brief: meta.ai_brief ?? null,
    ai_outline: meta.ai_outline ?? null,
    stack: meta.stack ?? [],
    tools: meta.tools ?? [],
    difficulty: meta.difficulty ?? null,
    scenario: scenarioOf(meta),
    code_language: meta.code_language ?? null,
    entities: meta.entities ?? [],
    entity_keys: (meta.entities ?? []).map(entityKey),
    reading_time: meta.reading_time ?? null,
    view_count: meta.view_count ?? null,
    score: meta.score ?? null,
    revision: meta.revision,
    last_reviewed_at: lastReviewed ? Date.parse(`${lastReviewed}T00:00:00Z`) / 1000 : null,
    flags,
    checklist: meta.checklist ?? [],
    notes: meta.notes ?? [],
    payload: meta.payload ?? null,
    reference: meta.reference ?? null,
    hash: meta.hash ?? null,
  };
  const pinned = meta.related?.pinned ?? [];
  const excluded = meta.related?.excluded ?? [];
  if (pinned.length > 0 || excluded.length > 0) content.related = { pinned, excluded };
  return content;
}

/**
 * The JSON text each document built by {@link toSearchDocument} was hashed from, so that its NDJSON
 * line needs no second `JSON.stringify` of the whole document (~a quarter of the CPU a bulk pass
 * spends per document after reading it). Documents are not changed after they are built.
 */
const hashedJson = new WeakMap<SearchDocument, string>();

/**
 * The line Meilisearch is sent for a document: `JSON.stringify({ ...document, indexed_at })`, byte
 * for byte. For a document {@link toSearchDocument} built, the text its hash was computed from is
 * reused (its fields, then `source_file`, `content_hash` and `indexed_at`, as the spread would
 * order them); any other document (one read back from the index, say) is serialised.
 */
export function documentLine(document: SearchDocument, indexedAt: number): string {
  const contentJson = hashedJson.get(document);
  if (contentJson === undefined || "indexed_at" in document)
    return JSON.stringify({ ...document, indexed_at: indexedAt });
  return lineFrom(contentJson, document.source_file, document.content_hash, indexedAt);
}

/** The content's JSON text with `source_file`, `content_hash` and `indexed_at` after its fields. */
function lineFrom(contentJson: string, sourceFile: string, contentHash: string, indexedAt: number): string {
  const tail = `"source_file":${JSON.stringify(sourceFile)},"content_hash":"${contentHash}","indexed_at":${JSON.stringify(indexedAt)}}`;
  return `${contentJson.slice(0, -1)},${tail}`;
}

/**
 * The fields of {@link toSearchDocument}'s document the related-posts index reads (`RELATED_FIELDS`
 * but `indexed_at`), the same values, without building and hashing the rest: `postindex related
 * DIR` reads a whole folder this way. A test holds both equal.
 */
export function toRelatedFields(
  record: ArticleRecord,
): Pick<
  SearchDocument,
  "id" | "title" | "entities" | "stack" | "tools" | "difficulty" | "scenario" | "code_language" | "last_reviewed_at"
> &
  Partial<Pick<SearchDocument, "related" | "flags">> {
  const meta = record.meta;
  const lastReviewed = meta.revision.last_reviewed;
  const pinned = meta.related?.pinned ?? [];
  const excluded = meta.related?.excluded ?? [];
  return {
    id: toDocumentId(record.id),
    title: record.title,
    entities: meta.entities ?? [],
    stack: meta.stack ?? [],
    tools: meta.tools ?? [],
    difficulty: meta.difficulty ?? null,
    scenario: scenarioOf(meta),
    code_language: meta.code_language ?? null,
    last_reviewed_at: lastReviewed ? Date.parse(`${lastReviewed}T00:00:00Z`) / 1000 : null,
    ...(pinned.length > 0 || excluded.length > 0 ? { related: { pinned, excluded } } : {}),
    ...(meta.flags?.no_related === true ? { flags: { no_related: true } } : {}),
  };
}

/** The searchable text of the sections: headings, paragraphs and items, one per line. */
function sectionsText(sections: readonly Section[]): string {
  const lines: string[] = [];
  for (const section of sections) {
    lines.push(section.heading);
    if (section.paragraphs) for (const paragraph of section.paragraphs) lines.push(paragraph);
    if (section.items) for (const item of section.items) lines.push(item);
  }
  return lines.join("\n");
}

/** Exports omit `site` when the id carries it (`alphanode-000504` → `alphanode`). */
function siteFromId(id: string): string | null {
  return /^([a-z][a-z0-9]*)-\d+$/i.exec(id)?.[1]?.toLowerCase() ?? null;
}

/**
 * A record's "scenario" facet value: `meta.payload.scenario`, else its outline's context read as a
 * facet value (the input contract's fallback), else null.
 */
export function scenarioOf(meta: Pick<ArticleRecord["meta"], "payload" | "ai_outline">): string | null {
  return meta.payload?.scenario ?? scenarioFromOutline(meta.ai_outline?.context);
}

export function scenarioFromOutline(context: string | undefined): string | null {
  const value = context === undefined ? "" : normaliseFacetValue(context);
  return value === "" ? null : value;
}

function hashText(json: string): string {
  return createHash("sha256").update(json).digest("hex").slice(0, 32);
}
