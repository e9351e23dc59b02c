import * as z from "zod/v4";
import { MAX_DOCUMENT_ID_BYTES, toDocumentId } from "../document-id.js";

/**
 * The canonical article record, after normalisation (see `normalise.ts`).
 * Every spelling the input contract accepts is reduced to this one shape before validation,
 * so this schema only checks kinds and ranges; it never coerces.
 * @see docs/records.md
 */

const text = z.string();
const textList = z.array(z.string());
const count = z.number().finite().nonnegative();
const percent = z.number().finite().min(0).max(100);

export const entitySchema = z.object({
  name: z.string().min(1),
  type: z.string().min(1),
});

export const sectionSchema = z.object({
  heading: z.string(),
  paragraphs: textList.optional(),
  items: textList.optional(),
});

const outlineSchema = z.object({
  context: text.optional(),
  problem: text.optional(),
  stack: text.optional(),
  recommended_action: text.optional(),
});

const scoreSchema = z.object({
  quality: percent.optional(),
  freshness: percent.optional(),
  depth: percent.optional(),
  clarity: percent.optional(),
});

const revisionSchema = z.object({
  status: z.string().min(1, "must not be empty"),
  version: text.optional(),
  last_reviewed: z.iso.date().optional(),
});

const flagsSchema = z.object({
  ai_generated_style: z.boolean().optional(),
  has_images: z.boolean().optional(),
  image_heavy: z.boolean().optional(),
  needs_human_review: z.boolean().optional(),
  noindex: z.boolean().optional(),
  no_related: z.boolean().optional(),
});

const payloadSchema = z.object({
  source_id: text.optional(),
  generator: text.optional(),
  paragraphs: count.optional(),
  scenario: text.optional(),
  seed: z.number().finite().optional(),
});

/** Editors' overrides of a post's related list (`meta.related`): record ids. */
const relatedControlsSchema = z.object({
  pinned: z.array(z.string().min(1)).optional(),
  excluded: z.array(z.string().min(1)).optional(),
});

const metaSchema = z.object({
  topic: text.optional(),
  summary: text.optional(),
  ai_brief: text.optional(),
  ai_outline: outlineSchema.optional(),
  stack: textList.optional(),
  tools: textList.optional(),
  difficulty: text.optional(),
  code_language: text.optional(),
  reading_time: count.optional(),
  view_count: count.optional(),
  score: scoreSchema.optional(),
  revision: revisionSchema,
  reference: text.optional(),
  hash: text.optional(),
  flags: flagsSchema.optional(),
  checklist: textList.optional(),
  notes: textList.optional(),
  entities: z.array(entitySchema).optional(),
  payload: payloadSchema.optional(),
  related: relatedControlsSchema.optional(),
});

export const recordSchema = z.object({
  id: z
    .string()
    .min(1, "must not be empty")
    .refine((id) => Buffer.byteLength(toDocumentId(id)) <= MAX_DOCUMENT_ID_BYTES, {
      message: "is too long to be a search document id (keep it under 380 bytes)",
    }),
  title: z.string().min(1, "must not be empty"),
  site: text.optional(),
  intro: text.optional(),
  sections: z.array(sectionSchema).optional(),
  meta: metaSchema,
});

/** A validated, normalised article record. */
export type ArticleRecord = z.infer<typeof recordSchema>;
export type Entity = z.infer<typeof entitySchema>;
export type Section = z.infer<typeof sectionSchema>;

/**
 * Paths whose failure rejects the whole record; any other invalid field is dropped with a warning.
 * A path is required when an issue path starts with it.
 */
export const REQUIRED_FIELDS: readonly string[] = ["id", "title", "meta.revision.status"];
