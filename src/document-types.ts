import type { Entity, Section } from "./records/schema.js";

/** The facets every search answer counts and every search may filter on. */
export const FACETS = ["stack", "tools", "difficulty", "scenario", "code_language"] as const;
export type Facet = (typeof FACETS)[number];

/** Whether `name` is one of the {@link FACETS}. */
export function isFacet(name: string): name is Facet {
  return (FACETS as readonly string[]).includes(name);
}

/** `SearchDocument.related`: record ids an editor pinned to the top of a related list, or kept out of it. */
export interface RelatedControls {
  pinned: string[];
  excluded: string[];
}

/**
 * One indexed article as Meilisearch stores it and `GET /posts/:id` returns it.
 * Field names follow the record (snake_case) so editors recognise them.
 */
export interface SearchDocument {
  /** Meilisearch primary key: the record id when it is a valid document id, else `b64_` + base64url of it. */
  id: string;
  /** The record id exactly as the export wrote it. */
  source_id: string;
  title: string;
  site: string | null;
  intro: string | null;
  sections: Section[];
  /** The sections' headings, paragraphs and items as one searchable text. */
  body: string;
  topic: string | null;
  summary: string | null;
  ai_brief: string | null;
  ai_outline: { context?: string; problem?: string; stack?: string; recommended_action?: string } | null;
  stack: string[];
  tools: string[];
  difficulty: string | null;
  scenario: string | null;
  code_language: string | null;
  entities: Entity[];
  /** `type:name` for each entity: what related-posts retrieval filters and counts on. */
  entity_keys: string[];
  reading_time: number | null;
  view_count: number | null;
  score: { quality?: number; freshness?: number; depth?: number; clarity?: number } | null;
  revision: { status: string; version?: string; last_reviewed?: string };
  /** `revision.last_reviewed` as Unix seconds (for sort=recent), null when unknown. */
  last_reviewed_at: number | null;
  /** `no_related`: the post is kept out of every related list (it stays searchable). */
  flags: { ai_generated_style?: boolean; has_images?: boolean; image_heavy?: boolean; no_related?: boolean };
  checklist: string[];
  notes: string[];
  payload: { source_id?: string; generator?: string; paragraphs?: number; scenario?: string; seed?: number } | null;
  reference: string | null;
  hash: string | null;
  /**
   * Editors' controls over this post's related list (`meta.related`), record ids: `pinned` first
   * in their order, `excluded` never. Present only when the record lists some, so documents
   * without them hash as before.
   */
  related?: RelatedControls;
  /** Path of the file the record came from, relative to the content folder, `/`-separated. */
  source_file: string;
  /** sha256 (hex, first 32 chars) of the document without `source_file`: what sync compares. */
  content_hash: string;
  /**
   * When the indexer last pushed the document: a stamp that grows with every push (see
   * `createIndexStamps`), set on the way to Meilisearch and not part of `content_hash`. The API's
   * related-posts index reads the documents stamped since its last look to stay in step. Absent on
   * documents pushed before stamps existed.
   */
  indexed_at?: number;
}
