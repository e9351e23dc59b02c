import * as z from "zod/v4";
import {
  ERROR_CODES,
  FACETS,
  type FacetValuesAnswer,
  type RelatedAnswer,
  type SearchAnswer,
  type ServiceStatus,
} from "../src/index.js";

/**
 * The API's answers as zod schemas: the OpenAPI document is generated from them, and each is
 * checked at compile time against the type the core returns (`satisfies z.ZodType<…>`), so the
 * document cannot drift from the code.
 */

const text = z.string();
const nullableText = text.nullable();

export const errorSchema = z.object({
  error: z.object({
    code: z.enum(ERROR_CODES),
    message: text.meta({ description: "For people; names the parameter on a 400" }),
    parameter: text
      .optional()
      .meta({ description: "The parameter at fault (400 only): `q`, `limit`, `body`, `body.meta.title`, …" }),
  }),
});

const facetCounts = z.record(text, z.number().int());

export const searchAnswerSchema = z.object({
  hits: z.array(
    z.object({
      id: text.meta({ description: "The record id (what `/posts/:id` takes)" }),
      title: text,
      title_highlighted: text.meta({ description: "HTML: the title escaped, matches in `<mark>`" }),
      snippet: text.meta({
        description: "HTML: ~30 words of the body around the best match, escaped, matches in `<mark>`",
      }),
      site: nullableText,
      summary: nullableText,
      topic: nullableText,
      stack: z.array(text),
      tools: z.array(text),
      difficulty: nullableText,
      scenario: nullableText,
      code_language: nullableText,
      reading_time: z.number().nullable(),
      view_count: z.number().nullable(),
      last_reviewed_at: z.number().nullable().meta({ description: "Unix seconds" }),
    }),
  ),
  total: z.number().int().meta({ description: "Matching posts" }),
  page: z.number().int(),
  limit: z.number().int(),
  facets: z.object(
    Object.fromEntries(FACETS.map((facet) => [facet, facetCounts])) as Record<
      (typeof FACETS)[number],
      typeof facetCounts
    >,
  ),
}) satisfies z.ZodType<SearchAnswer>;

export const relatedAnswerSchema = z.object({
  id: nullableText.meta({ description: "The post (record id) the list is for; null for a draft without one" }),
  related: z.array(
    z.object({
      id: text,
      title: text,
      score: z
        .number()
        .min(0)
        .max(1)
        .meta({ description: "Share of the post's entity weight this one shares (1: all of it); 0 in a fallback" }),
      shared: z.array(
        z.object({
          name: text,
          type: text,
          weight: z.number().meta({ description: "Rarity (IDF) × type weight" }),
          contribution: z.number().meta({ description: "Part of `score` this entity brings; they add up to it" }),
        }),
      ),
      source: z.enum(["pinned", "entities", "fallback"]).meta({
        description:
          "Where the entry comes from: `pinned` by an editor (`meta.related.pinned`, listed first in their order), found by shared `entities`, or the `fallback`",
      }),
    }),
  ),
  fallback: z.enum(["same_stack_recent", "recent"]).nullable().meta({
    description: "Set when no post shares an entity: the list is the same stack's (or all) most recent posts",
  }),
}) satisfies z.ZodType<RelatedAnswer>;

export const facetValuesAnswerSchema = z.object({
  facet: z.enum(FACETS),
  q: text,
  values: z.array(z.object({ value: text, count: z.number().int() })),
}) satisfies z.ZodType<FacetValuesAnswer>;

export const postSchema = z
  .looseObject({
    id: text.meta({ description: "The record id" }),
    title: text,
    intro: nullableText,
    sections: z.array(
      z.object({ heading: text, paragraphs: z.array(text).optional(), items: z.array(text).optional() }),
    ),
    stack: z.array(text),
    tools: z.array(text),
    entities: z.array(z.object({ name: text, type: text })),
  })
  .meta({ description: "The indexed document: every field of the record's canonical form (see `SearchDocument`)" });

export const healthSchema = z.object({
  status: z.literal("ok"),
  meilisearch: z.literal("available"),
  index: text,
  documents: z.number().int().nullable().meta({ description: "Indexed posts; null while the index is not built yet" }),
}) satisfies z.ZodType<ServiceStatus>;

export const unhealthySchema = z.object({
  status: z.literal("unavailable"),
  meilisearch: z.literal("unavailable"),
  error: errorSchema.shape.error,
});
