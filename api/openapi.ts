import * as z from "zod/v4";
import { FACETS } from "../src/index.js";
import { draftBodySchema } from "./draft-body.js";
import { facetValueParameters, relatedParameters, searchParameters } from "./openapi-parameters.js";
import {
  errorSchema,
  facetValuesAnswerSchema,
  healthSchema,
  postSchema,
  relatedAnswerSchema,
  searchAnswerSchema,
  unhealthySchema,
} from "./schemas.js";

/**
 * `/openapi.json`: an OpenAPI 3.1 document generated from the zod schemas that validate the
 * requests (`openapi-parameters.ts`, `draft-body.ts`) and describe the answers (`schemas.ts`).
 * @see https://spec.openapis.org/oas/v3.1.0
 */

/** Answers, described as they are sent. */
const ANSWERS = {
  Error: errorSchema,
  SearchAnswer: searchAnswerSchema,
  FacetValuesAnswer: facetValuesAnswerSchema,
  Post: postSchema,
  RelatedAnswer: relatedAnswerSchema,
  Health: healthSchema,
  Unhealthy: unhealthySchema,
} as const;

/** Request bodies, described as they are accepted. */
const BODIES = { DraftBody: draftBodySchema } as const;

type ComponentName = keyof typeof ANSWERS | keyof typeof BODIES;

/** JSON Schemas of `schemas` (by component name), referring to one another through `#/components/schemas/`. */
function componentSchemas(
  schemas: Readonly<Record<string, z.ZodType>>,
  io: "input" | "output",
): Record<string, unknown> {
  const registry = z.registry<{ id: string }>();
  for (const [id, schema] of Object.entries(schemas)) registry.add(schema, { id });
  const converted = z.toJSONSchema(registry, { io, unrepresentable: "any", uri: (id) => `#/components/schemas/${id}` });
  return Object.fromEntries(
    Object.entries(converted.schemas).map(([id, { $schema: _dialect, $id: _id, ...rest }]) => [id, rest]),
  );
}

const json = (name: ComponentName) => ({ "application/json": { schema: { $ref: `#/components/schemas/${name}` } } });
const answer = (description: string, name: ComponentName) => ({ description, content: json(name) });
const failure = (description: string) => answer(description, "Error");

const BAD_REQUEST = failure("A parameter is invalid; the message and `parameter` name it");
const UNAVAILABLE = failure("Meilisearch is unreachable, too slow, or the index is not built yet; see `Retry-After`");
const NOT_FOUND = failure("No indexed post has this id");
const pathParameter = (name: string, schema: object, description: string) => ({
  name,
  in: "path",
  required: true,
  description,
  schema,
});
const postId = pathParameter("id", { type: "string" }, "The record id (percent-encoded where needed)");

function paths(): object {
  return {
    "/search": {
      get: {
        summary: "Full-text search with facet counts and filters",
        parameters: searchParameters(),
        responses: { 200: answer("Hits, total, facet counts", "SearchAnswer"), 400: BAD_REQUEST, 503: UNAVAILABLE },
      },
    },
    "/facets/{facet}": {
      get: {
        summary: "Autocomplete on a facet's values",
        parameters: [
          pathParameter("facet", { type: "string", enum: [...FACETS] }, "The facet"),
          ...facetValueParameters(),
        ],
        responses: {
          200: answer("Matching values, most frequent first", "FacetValuesAnswer"),
          400: BAD_REQUEST,
          404: failure("No such facet"),
          503: UNAVAILABLE,
        },
      },
    },
    "/posts/{id}": {
      get: {
        summary: "An indexed post",
        parameters: [postId],
        responses: { 200: answer("The post", "Post"), 404: NOT_FOUND, 503: UNAVAILABLE },
      },
    },
    "/posts/{id}/related": {
      get: {
        summary: "Posts sharing this post's entities, rarest shared entities first",
        parameters: [postId, ...relatedParameters()],
        responses: {
          200: answer("Related posts, best first", "RelatedAnswer"),
          400: BAD_REQUEST,
          404: NOT_FOUND,
          503: UNAVAILABLE,
        },
      },
    },
    "/related": {
      post: {
        summary: "Related posts for a draft that is not indexed",
        parameters: relatedParameters(),
        requestBody: { required: true, content: json("DraftBody") },
        responses: {
          200: answer("Related posts, best first", "RelatedAnswer"),
          400: BAD_REQUEST,
          413: failure("The body is too large"),
          503: UNAVAILABLE,
        },
      },
    },
    "/health": {
      get: {
        summary: "Whether Meilisearch answers",
        responses: { 200: answer("Available", "Health"), 503: answer("Unavailable", "Unhealthy") },
      },
    },
    "/metrics": {
      get: {
        summary: "Prometheus metrics",
        responses: {
          200: { description: "Prometheus text format", content: { "text/plain": { schema: { type: "string" } } } },
        },
      },
    },
    "/openapi.json": {
      get: {
        summary: "This document",
        responses: {
          200: { description: "OpenAPI 3.1", content: { "application/json": { schema: { type: "object" } } } },
        },
      },
    },
  };
}

/** Builds the OpenAPI document. */
export function buildOpenApiDocument(version: string): object {
  const schemas = { ...componentSchemas(ANSWERS, "output"), ...componentSchemas(BODIES, "input") };
  return {
    openapi: "3.1.0",
    info: {
      title: "postindex",
      version,
      description:
        'Full-text search and related posts over an article site\'s Meilisearch index. Errors are `{"error": {"code", "message"}}`.',
    },
    paths: paths(),
    components: { schemas },
  };
}
