import { fromDocumentId, MAX_DOCUMENT_ID_BYTES, toDocumentId } from "../document-id.js";
import { entityKey } from "../document.js";
import { NotFoundError } from "../errors.js";
import type { FacetSelection } from "../meili/filter.js";
import { facetPredicate } from "./facet-match.js";
import type { FallbackBasis } from "./plan.js";
import type { RelatedDocument, RelatedIndex } from "./related-index.js";
import type { RelatedControls } from "../document-types.js";
import { editorialFilter } from "./editorial.js";
import {
  DEFAULT_TYPE_WEIGHTS,
  scoreCandidate,
  weighEntities,
  type EntityRef,
  type EntityStats,
  type WeightedEntity,
} from "./score.js";
import { recentPosts, topRelated, type TopRelatedMatch } from "./top-related.js";

/**
 * Related posts from a {@link RelatedIndex}: the editors' pinned posts first, then weights from its
 * document frequencies and the exact top k by `topRelated` over the posts not excluded, and when
 * nothing is shared the same-stack fallback (or the most recent posts). Pure and synchronous:
 * the index is as fresh as whoever fills it keeps it (the API's refresher: within a second).
 */

/** Options for {@link relatedForDocument} and {@link relatedForEntities}. */
export interface RelatedOptions {
  /** How many related posts. @default 5 */
  readonly limit?: number;
  /** Facet filters on the related list (values normalised; OR within a facet, AND across). @default none */
  readonly filters?: FacetSelection;
  /** Multiplier per entity type on top of rarity. @default DEFAULT_TYPE_WEIGHTS */
  readonly typeWeights?: Readonly<Record<string, number>>;
  /**
   * Automatic entries scoring below it (the rounded `score`, 0..1) are dropped before the
   * fallback applies; pinned entries are kept whatever their score. @default 0
   */
  readonly minScore?: number;
}

/** Where an entry of a related list comes from: an editor's pin, shared entities, or the fallback. */
export type RelatedSource = "pinned" | "entities" | "fallback";

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
  /** `pinned` by an editor (`meta.related.pinned`), found by shared `entities`, or the `fallback`. */
  readonly source: RelatedSource;
}

/** The related list of a post or a draft. */
export interface RelatedAnswer {
  /** The record id the list is for; null for a draft without one. */
  readonly id: string | null;
  readonly related: readonly RelatedPost[];
  /** Set when no post shares an entity and the list (after any pinned posts) is a fallback, saying which. */
  readonly fallback: FallbackBasis | null;
}

/** What is looked up: a post's entities and stack, and its document id when it has one. */
interface RelatedQuery {
  readonly selfId: string | undefined;
  readonly entities: readonly EntityRef[];
  readonly stack: readonly string[];
  /** The editors' pins and exclusions of the post (record ids). */
  readonly controls: RelatedControls | undefined;
}

/** The default length of a related list. */
const DEFAULT_RELATED_LIMIT = 5;

/**
 * Posts related to the indexed post of record id `recordId` (never the post itself).
 * @throws NotFoundError when the index holds no such post
 */
export function relatedForDocument(index: RelatedIndex, recordId: string, options: RelatedOptions = {}): RelatedAnswer {
  const documentId = toDocumentId(recordId);
  const document =
    recordId === "" || Buffer.byteLength(documentId) > MAX_DOCUMENT_ID_BYTES ? undefined : index.get(documentId);
  if (document === undefined) throw new NotFoundError(`no indexed post has id ${JSON.stringify(shorten(recordId))}`);
  const query = { selfId: document.id, entities: document.entities, stack: document.stack, controls: document.related };
  return { id: fromDocumentId(document.id), ...findRelated(index, query, options) };
}

/**
 * Posts related to a draft that is not indexed (an editor's new post): its entities, and its stack
 * for the fallback. With `id`, the post of that id is never listed (a draft of an indexed post).
 */
export function relatedForEntities(
  index: RelatedIndex,
  draft: {
    readonly id?: string | undefined;
    readonly entities: readonly EntityRef[];
    readonly stack?: readonly string[];
    /** The draft's own pins and exclusions (`meta.related`). */
    readonly related?: RelatedControls | undefined;
  },
  options: RelatedOptions = {},
): RelatedAnswer {
  const selfId = draft.id === undefined ? undefined : toDocumentId(draft.id);
  const query = { selfId, entities: draft.entities, stack: draft.stack ?? [], controls: draft.related };
  return { id: draft.id ?? null, ...findRelated(index, query, options) };
}

/** The statistics `weighEntities` needs for `entities`, from the index: N and each key's df. */
function statsFor(index: RelatedIndex, entities: readonly EntityRef[]): EntityStats {
  const docFrequency = new Map<string, number>();
  for (const entity of entities) {
    const key = entityKey(entity);
    if (!docFrequency.has(key)) docFrequency.set(key, index.docFrequency(key));
  }
  return { totalDocs: index.size, docFrequency };
}

/**
 * The list: the pinned posts first (see `editorialFilter`), then the algorithm's best for the
 * places left, among the posts the editors did not exclude; when nothing is shared (or nothing
 * above `minScore`), the same stack's most recent posts, and when the stack has none, the most
 * recent posts of all.
 */
function findRelated(index: RelatedIndex, query: RelatedQuery, options: RelatedOptions): Omit<RelatedAnswer, "id"> {
  const k = options.limit ?? DEFAULT_RELATED_LIMIT;
  const editorial = editorialFilter(index, query.controls, query.selfId, facetPredicate(options.filters ?? {}), k);
  const { accept } = editorial;
  const weighted =
    query.entities.length > 0
      ? weighEntities(query.entities, statsFor(index, query.entities), options.typeWeights ?? DEFAULT_TYPE_WEIGHTS)
      : [];
  const pinned = editorial.pinned.map((document) => toPinnedPost(weighted, document));
  const left = k - pinned.length;
  if (left === 0) return { related: pinned, fallback: null };
  if (weighted.length > 0) {
    const minScore = options.minScore ?? 0;
    const related = topRelated(index, weighted, { k: left, selfId: query.selfId, accept })
      .map((match) => toRelatedPost(match))
      .filter((post) => post.score >= minScore);
    if (related.length > 0) return { related: [...pinned, ...related], fallback: null };
  }
  const stack = [...new Set(query.stack)];
  if (stack.length > 0) {
    const recent = recentPosts(index, { k: left, stack, selfId: query.selfId, accept });
    if (recent.length > 0)
      return { related: [...pinned, ...recent.map(toFallbackPost)], fallback: "same_stack_recent" };
  }
  const recent = recentPosts(index, { k: left, stack: [], selfId: query.selfId, accept });
  return { related: [...pinned, ...recent.map(toFallbackPost)], fallback: "recent" };
}

function round(value: number): number {
  return Math.round(value * 10_000) / 10_000;
}

function toRelatedPost(match: TopRelatedMatch, source: RelatedSource = "entities"): RelatedPost {
  return {
    id: fromDocumentId(match.document.id),
    title: match.document.title,
    score: round(match.normalisedScore),
    shared: match.shared.map(({ name, type, weight, contribution }) => ({
      name,
      type,
      weight: round(weight),
      contribution: round(contribution),
    })),
    source,
  };
}

/** A pinned post, scored like any other (what it shares is shown), whatever the score. */
function toPinnedPost(query: readonly WeightedEntity[], document: RelatedDocument): RelatedPost {
  return toRelatedPost({ ...scoreCandidate(query, document.entities.map(entityKey)), document }, "pinned");
}

function toFallbackPost(document: RelatedDocument): RelatedPost {
  return { id: fromDocumentId(document.id), title: document.title, score: 0, shared: [], source: "fallback" };
}

function shorten(value: string): string {
  return value.length > 80 ? `${value.slice(0, 80)}…` : value;
}
