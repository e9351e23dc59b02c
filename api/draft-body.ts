import * as z from "zod/v4";
import {
  BadRequestError,
  evaluateRecord,
  normaliseFacetValue,
  toSearchDocument,
  type EntityRef,
  type RelatedControls,
} from "../src/index.js";
import { parseParams } from "./queries.js";

/** A draft reduced to what related posts need. */
export interface Draft {
  /** The record id, when the draft has one (a post of that id is then never listed). */
  readonly id?: string;
  readonly entities: readonly EntityRef[];
  readonly stack: readonly string[];
  /** A draft record's own pinned and excluded ids (`meta.related`). */
  readonly related?: RelatedControls;
}

/** Most entities a `{entities}` draft may list. @default 100 */
const MAX_DRAFT_ENTITIES = 100;

const facetText = (max: number) =>
  z
    .string()
    .max(max)
    .transform(normaliseFacetValue)
    .refine((value) => value !== "", "must not be empty");

/** `{"entities": [{name, type}], "stack"?: [...], "id"?: "…"}`: values normalised like records. */
const entitiesDraftSchema = z.strictObject({
  id: z.string().min(1).max(380).optional(),
  entities: z
    .array(z.object({ name: facetText(200), type: facetText(100) }), {
      error: "entities must be a list of {name, type}",
    })
    .max(MAX_DRAFT_ENTITIES),
  stack: z.array(facetText(200)).max(20).optional(),
});

/** The `POST /related` body: a record in any accepted spelling, or an {@link entitiesDraftSchema} object. */
export const draftBodySchema = z.union([entitiesDraftSchema, z.looseObject({ title: z.string() })]);

/** Stands in for the id of a draft record that has none yet (never shown, never excluded). */
const PLACEHOLDER_ID = "postindex-draft-without-id";

/**
 * The `POST /related` body → a {@link Draft}. An object with `entities` and no `title` is the short
 * form; anything else must be a record the indexer would accept (`id` may be missing: drafts often
 * have none yet), excluded ones included (a draft is unreviewed by nature).
 * @throws BadRequestError naming `body` or the field at fault (`body.meta.revision.status`)
 */
export function parseDraft(body: unknown): Draft {
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    throw new BadRequestError(
      "body",
      'body must be a JSON object (Content-Type: application/json): a record or {"entities": [{"name", "type"}]}',
    );
  }
  if ("entities" in body && !("title" in body)) {
    const draft = parseParams(entitiesDraftSchema, body, "body");
    return { ...(draft.id === undefined ? {} : { id: draft.id }), entities: draft.entities, stack: draft.stack ?? [] };
  }
  return draftFromRecord(body as Record<string, unknown>);
}

function draftFromRecord(body: Record<string, unknown>): Draft {
  let outcome = evaluateRecord(body, { file: "body", line: null, item: null });
  const hasId = !(outcome.kind === "rejected" && outcome.field === "id" && !Object.hasOwn(body, "id"));
  if (!hasId) outcome = evaluateRecord({ ...body, id: PLACEHOLDER_ID }, { file: "body", line: null, item: null });
  if (outcome.kind === "rejected") {
    const parameter = outcome.field === null ? "body" : `body.${outcome.field}`;
    throw new BadRequestError(parameter, `${parameter}: ${outcome.message}`);
  }
  const document = toSearchDocument(outcome.record, "");
  return {
    ...(hasId ? { id: outcome.record.id } : {}),
    entities: document.entities,
    stack: document.stack,
    ...(document.related === undefined ? {} : { related: document.related }),
  };
}
