import { fromDocumentId, toDocumentId } from "../document-id.js";
import type { SearchDocument } from "../document-types.js";
import { entityKey } from "../document.js";
import type { MeiliClient } from "../meili/client.js";
import { toMeiliError } from "../meili/errors.js";
import { buildFacetFilter, filterAllOf, type FacetSelection, type FilterClause } from "../meili/filter.js";
import type { CandidateDocument } from "./candidates.js";
import { fallbackPlan, type FallbackBasis, type RelatedMatch } from "./plan.js";
import { rankByCandidates } from "./rank-by-candidates.js";
import { rankByCounts } from "./rank-by-counts.js";
import { DEFAULT_TYPE_WEIGHTS, type EntityRef } from "./score.js";
import { MAX_EXACT_ENTITIES } from "./shared-sets.js";

/**
 * Related posts from the live index: nothing is cached, so an edit, an exclusion or a deletion
 * changes the next answer. For a post with up to `MAX_EXACT_ENTITIES` entities, one multi-search
 * counts how many posts share each subset of them, which locates the top k before any document is
 * read (`rank-by-counts.ts`); with more, the MaxScore plan fetches the candidates its rare entities
 * find (`rank-by-candidates.ts`). Both are exact. When nothing is shared: the same-stack fallback.
 */

/** Options for {@link relatedForDocument} and {@link relatedForEntities}. */
export interface RelatedOptions {
  /** How many related posts. @default 5 */
  readonly limit?: number;
  /** Facet filters on the related list (values normalised; OR within a facet, AND across). @default none */
  readonly filters?: FacetSelection;
  /** Multiplier per entity type on top of rarity. @default DEFAULT_TYPE_WEIGHTS */
  readonly typeWeights?: Readonly<Record<string, number>>;
}

/** One shared entity of a related post, with what it was worth. */
export interface RelatedShared {
  readonly name: string;
  readonly type: string;
  /** Rarity × type weight of the entity (what it added to the raw score). */
  readonly weight: number;
  /** Its share of the normalised score: the contributions of a post add up to its `score`. */
  readonly contribution: number;
}

/** One related post, as the API answers it. */
export interface RelatedPost {
  /** The record id (not the encoded document id). */
  readonly id: string;
  readonly title: string;
  /** 0..1: the share of the post's entity weight this one shares (1: it shares all of it); 0 for a fallback. */
  readonly score: number;
  /** Heaviest first; empty for a fallback. */
  readonly shared: readonly RelatedShared[];
}

/** The related list of a post or a draft. */
export interface RelatedAnswer {
  /** The record id the list is for; null for a draft without one. */
  readonly id: string | null;
  readonly related: readonly RelatedPost[];
  /** Set when no post shares an entity and the list is a fallback, saying which. */
  readonly fallback: FallbackBasis | null;
}

/** What is looked up: a post's entities and stack, and its document id when it is indexed. */
interface RelatedQuery {
  readonly selfId: string | undefined;
  /** True when `selfId` is indexed with exactly these entities. */
  readonly selfCarriesAll: boolean;
  readonly entities: readonly EntityRef[];
  readonly stack: readonly string[];
}

/** The default length of a related list. */
export const DEFAULT_RELATED_LIMIT = 5;

/** Posts related to an indexed document (never the document itself). */
export async function relatedForDocument(
  client: MeiliClient,
  indexUid: string,
  doc: Pick<SearchDocument, "id" | "entities" | "stack">,
  options: RelatedOptions = {},
): Promise<RelatedAnswer> {
  const query = { selfId: doc.id, selfCarriesAll: true, entities: doc.entities, stack: doc.stack };
  return { id: fromDocumentId(doc.id), ...(await findRelated(client, indexUid, query, options)) };
}

/**
 * Posts related to a draft that is not indexed (an editor's new post): its entities, and its stack
 * for the fallback. With `id`, the post of that id is never listed (a draft of an indexed post).
 */
export async function relatedForEntities(
  client: MeiliClient,
  indexUid: string,
  draft: { readonly id?: string | undefined; readonly entities: readonly EntityRef[]; readonly stack?: readonly string[] },
  options: RelatedOptions = {},
): Promise<RelatedAnswer> {
  const selfId = draft.id === undefined ? undefined : toDocumentId(draft.id);
  const query = { selfId, selfCarriesAll: false, entities: draft.entities, stack: draft.stack ?? [] };
  return { id: draft.id ?? null, ...(await findRelated(client, indexUid, query, options)) };
}

/** The entities, first of each key kept (as `weighEntities` does). */
function distinctEntities(entities: readonly EntityRef[]): EntityRef[] {
  const byKey = new Map<string, EntityRef>();
  for (const entity of entities) if (!byKey.has(entityKey(entity))) byKey.set(entityKey(entity), { name: entity.name, type: entity.type });
  return [...byKey.values()];
}

async function findRelated(
  client: MeiliClient,
  indexUid: string,
  query: RelatedQuery,
  options: RelatedOptions,
): Promise<Omit<RelatedAnswer, "id">> {
  const k = options.limit ?? DEFAULT_RELATED_LIMIT;
  const candidateFilter = buildFacetFilter(options.filters ?? {});
  const entities = distinctEntities(query.entities);
  if (entities.length > 0) {
    const rank = entities.length <= MAX_EXACT_ENTITIES ? rankByCounts : rankByCandidates;
    const typeWeights = options.typeWeights ?? DEFAULT_TYPE_WEIGHTS;
    const related = await rank(client, indexUid, entities, { k, selfId: query.selfId, selfCarriesAll: query.selfCarriesAll, candidateFilter, typeWeights });
    if (related.length > 0) return { related: related.map(toRelatedPost), fallback: null };
  }
  const plan = fallbackPlan({ stack: query.stack, k, selfId: query.selfId });
  return { related: await searchRecent(client, indexUid, filterAllOf(plan.filter, candidateFilter), k), fallback: plan.basis };
}

/** The most recently reviewed posts matching `filter`: the fallback list. */
async function searchRecent(client: MeiliClient, indexUid: string, filter: FilterClause | undefined, k: number): Promise<RelatedPost[]> {
  try {
    const { hits } = await client.index<CandidateDocument>(indexUid).search("", {
      ...(filter === undefined ? {} : { filter }),
      sort: ["last_reviewed_at:desc"],
      limit: k,
      attributesToRetrieve: ["id", "title"],
    });
    return hits.map((hit) => ({ id: fromDocumentId(hit.id), title: hit.title, score: 0, shared: [] }));
  } catch (error) {
    throw toMeiliError(error, `searching index "${indexUid}" for recent posts`);
  }
}

function round(value: number): number {
  return Math.round(value * 10_000) / 10_000;
}

function toRelatedPost(match: RelatedMatch<CandidateDocument>): RelatedPost {
  return {
    id: fromDocumentId(match.id),
    title: match.candidate.title,
    score: round(match.normalisedScore),
    shared: match.shared.map(({ name, type, weight, contribution }) => ({
      name,
      type,
      weight: round(weight),
      contribution: round(contribution),
    })),
  };
}
