import { z } from "zod";
import { BadRequestError, FACETS, facetParam, singleParam, wholeNumberParam, type Facet } from "../src/index.js";

/**
 * The query-string schemas of the endpoints besides `/search` (whose schema is `searchQuerySchema`),
 * built from the same parameter rules, so every bad parameter gets the same kind of 400.
 */

/** The facet filters every list endpoint accepts: repeat = OR, facets AND-ed. */
const facetFilterShape = {
  stack: facetParam("stack"),
  tools: facetParam("tools"),
  difficulty: facetParam("difficulty"),
  scenario: facetParam("scenario"),
  code_language: facetParam("code_language"),
} satisfies Record<Facet, unknown>;

function splitFilters<T extends Record<Facet, string[]>>(values: T): Record<Facet, string[]> {
  return Object.fromEntries(FACETS.map((facet) => [facet, values[facet]])) as Record<Facet, string[]>;
}

/** Longest related list. @default 50 */
export const MAX_RELATED_LIMIT = 50;

/** `GET /posts/:id/related` and `POST /related`: `limit` (1..50, default 5) and facet filters. */
export const relatedQuerySchema = z
  .object({ limit: wholeNumberParam("limit", 1, MAX_RELATED_LIMIT, 5), ...facetFilterShape })
  .transform(({ limit, ...facets }) => ({ limit, filters: splitFilters(facets) }));

/** Longest facet query. @default 100 */
export const MAX_FACET_QUERY_LENGTH = 100;

const facetQuery = singleParam("q").transform((value, ctx): string => {
  if (value === undefined) return "";
  if (value.length <= MAX_FACET_QUERY_LENGTH) return value.trim().toLowerCase();
  ctx.addIssue({
    code: "custom",
    message: `q must be at most ${MAX_FACET_QUERY_LENGTH} characters, got ${value.length}`,
  });
  return z.NEVER;
});

/** `GET /facets/:facet`: `q`, `limit` (1..100, default 10) and the other facets' filters. */
export const facetValuesQuerySchema = z
  .object({ q: facetQuery, limit: wholeNumberParam("limit", 1, 100, 10), ...facetFilterShape })
  .transform(({ q, limit, ...facets }) => ({ q, limit, filters: splitFilters(facets) }));

/** The `:facet` of `GET /facets/:facet`. */
export const facetNameSchema = z.enum(FACETS, { error: `facet must be one of ${FACETS.join(", ")}` });

/**
 * Validates `input` with `schema`.
 * @param where `"query"` for query parameters (named as they are), `"body"` for a JSON body (named `body.…`)
 * @throws BadRequestError naming the parameter of the first issue
 */
export function parseParams<S extends z.ZodType>(
  schema: S,
  input: unknown,
  where: "query" | "body" = "query",
): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const path = (issue?.path ?? []).map(String);
  const parameter = (where === "body" ? ["body", ...path] : path).join(".") || where;
  const message = issue?.message ?? "is invalid";
  throw new BadRequestError(parameter, where === "body" || path.length === 0 ? `${parameter}: ${message}` : message);
}
