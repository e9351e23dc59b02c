import * as z from "zod/v4";
import { FACETS, SEARCH_SORTS } from "../src/index.js";
import {
  facetValuesQuerySchema,
  MAX_FACET_QUERY_LENGTH,
  MAX_RELATED_LIMIT,
  relatedQuerySchema,
  SEARCH_LIMITS,
  searchQuerySchema,
} from "./queries.js";

/**
 * OpenAPI query parameters generated from the zod schemas that validate them: the names come from
 * each schema's shape, and each parameter's schema is its validator with documentation attached
 * (`.meta()`: the validators accept `unknown` so they can name the parameter in their messages,
 * which leaves JSON Schema nothing to describe without it). A parameter without documentation
 * fails the build of the document (and its test).
 */

type ParameterDoc = Record<string, unknown> & { description: string };
type QueryShape = Record<string, z.ZodType>;

const facetDocs: Record<string, ParameterDoc> = Object.fromEntries(
  FACETS.map((facet) => [
    facet,
    {
      type: "array",
      items: { type: "string", maxLength: SEARCH_LIMITS.maxFacetValueLength },
      maxItems: SEARCH_LIMITS.maxValuesPerFacet,
      description: `Only posts with this ${facet} (trimmed, lower-cased). Repeat for any of several values; different facets must all match.`,
    },
  ]),
);

const limitDoc = (max: number, fallback: number, what: string): ParameterDoc => ({
  type: "integer",
  minimum: 1,
  maximum: max,
  default: fallback,
  description: `${what} per answer`,
});

const SEARCH_DOCS: Record<string, ParameterDoc> = {
  q: {
    type: "string",
    maxLength: SEARCH_LIMITS.maxQueryLength,
    description: "Words to search for (typo-tolerant); empty lists every post",
  },
  page: { type: "integer", minimum: 1, maximum: SEARCH_LIMITS.maxPage, default: 1, description: "1-based page number" },
  limit: limitDoc(SEARCH_LIMITS.maxLimit, SEARCH_LIMITS.defaultLimit, "Hits"),
  sort: {
    type: "string",
    enum: [...SEARCH_SORTS],
    default: "relevance",
    description: "relevance, recent (last reviewed first) or popular (most viewed first)",
  },
  ...facetDocs,
};

const RELATED_DOCS: Record<string, ParameterDoc> = {
  limit: limitDoc(MAX_RELATED_LIMIT, 5, "Related posts"),
  minScore: {
    type: "number",
    minimum: 0,
    maximum: 1,
    description:
      "Drop automatic entries whose score is below it before the fallback applies (pinned entries stay); default 0",
  },
  ...facetDocs,
};

const FACET_VALUE_DOCS: Record<string, ParameterDoc> = {
  q: {
    type: "string",
    maxLength: MAX_FACET_QUERY_LENGTH,
    description: "Start of (or words in) the values wanted; empty lists the most frequent",
  },
  limit: limitDoc(100, 10, "Values"),
  ...facetDocs,
};

function shapeOf(schema: z.ZodType): QueryShape {
  const input = (schema as unknown as { in?: { shape?: QueryShape } }).in;
  if (input?.shape === undefined) throw new Error("expected an object schema piped into a transform");
  return input.shape;
}

function toParameters(schema: z.ZodType, docs: Readonly<Record<string, ParameterDoc>>): object[] {
  return Object.entries(shapeOf(schema)).map(([name, validator]) => {
    const doc = docs[name];
    if (doc === undefined) throw new Error(`query parameter "${name}" has no OpenAPI documentation`);
    const {
      $schema: _dialect,
      description,
      ...jsonSchema
    } = z.toJSONSchema(validator.meta(doc), { io: "input", unrepresentable: "any" });
    return {
      name,
      in: "query",
      required: false,
      description,
      schema: jsonSchema,
      ...(doc["type"] === "array" ? { explode: true } : {}),
    };
  });
}

/** Query parameters of `GET /search`. */
export const searchParameters = (): object[] => toParameters(searchQuerySchema, SEARCH_DOCS);
/** Query parameters of `GET /posts/{id}/related` and `POST /related`. */
export const relatedParameters = (): object[] => toParameters(relatedQuerySchema, RELATED_DOCS);
/** Query parameters of `GET /facets/{facet}`. */
export const facetValueParameters = (): object[] => toParameters(facetValuesQuerySchema, FACET_VALUE_DOCS);
