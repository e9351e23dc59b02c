import type { SearchDocument } from "../document-types.js";
import { entityKey } from "../document.js";

/**
 * The related-posts index: every indexed post's entities, title, facets and review date, in
 * memory, with a posting list (the posts carrying it) per entity key. Pure: it is filled with
 * documents by whoever has them (the API's refresher reads them from Meilisearch; an export can
 * read them from a folder) and answers from memory alone. See `top-related.ts` for the ranking.
 *
 * Posts live in numbered slots so the ranking can work over typed arrays: posting lists are
 * ascending `Int32Array`s of slots, walked side by side. A built index numbers its posts in the
 * related lists' tie order (freshest first, then by id), so among equally related posts the first
 * found is the one that ranks first, and a walk can stop early (see `orderedEnd`).
 */

/** The fields of a document the related-posts index keeps (and the refresher reads). */
export const RELATED_FIELDS = [
  "id",
  "title",
  "entities",
  "stack",
  "tools",
  "difficulty",
  "scenario",
  "code_language",
  "last_reviewed_at",
  "indexed_at",
  "related",
  "flags",
] as const satisfies readonly (keyof SearchDocument)[];

/**
 * A post as the related-posts index keeps it. The editors' controls are optional: `related` (its
 * pinned and excluded ids) is kept only when it lists some, `flags` only when it is `no_related`.
 */
export type RelatedDocument = Pick<SearchDocument, Exclude<(typeof RELATED_FIELDS)[number], "related" | "flags">> &
  Partial<Pick<SearchDocument, "related" | "flags">>;

/** The one `flags` object of every post kept out of related lists. */
const NO_RELATED_FLAGS: SearchDocument["flags"] = Object.freeze({ no_related: true });

/** The ids (non-empty text) of a list read from Meilisearch. */
function idsOf(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((id): id is string => typeof id === "string" && id !== "") : [];
}

/** `{related}` when the document pins or excludes some ids (as text), else nothing. */
function relatedControlsOf(related: unknown): Pick<RelatedDocument, "related"> {
  if (typeof related !== "object" || related === null) return {};
  const pinned = idsOf((related as Record<string, unknown>)["pinned"]);
  const excluded = idsOf((related as Record<string, unknown>)["excluded"]);
  return pinned.length > 0 || excluded.length > 0 ? { related: { pinned, excluded } } : {};
}

/** The slots of the posts carrying one entity key, ascending (`slots[0 .. length)`). */
export interface PostingList {
  readonly slots: Int32Array;
  readonly length: number;
}

/** The first position in `slots[0 .. length)` holding a slot ≥ `slot` (slots ascending). */
export function lowerBound(slots: Int32Array, length: number, slot: number): number {
  let low = 0;
  let high = length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if ((slots[middle] as number) < slot) low = middle + 1;
    else high = middle;
  }
  return low;
}

class GrowingPostings implements PostingList {
  slots = new Int32Array(4);
  length = 0;

  /** Inserts `slot` in order (new posts take new, higher slots, so loading only appends). */
  add(slot: number): void {
    if (this.length === this.slots.length) {
      const grown = new Int32Array(this.slots.length * 2);
      grown.set(this.slots);
      this.slots = grown;
    }
    const at =
      this.length > 0 && (this.slots[this.length - 1] as number) < slot
        ? this.length
        : lowerBound(this.slots, this.length, slot);
    if (this.slots[at] === slot && at < this.length) return;
    this.slots.copyWithin(at + 1, at, this.length);
    this.slots[at] = slot;
    this.length += 1;
  }

  remove(slot: number): void {
    const at = lowerBound(this.slots, this.length, slot);
    if (at >= this.length || this.slots[at] !== slot) return;
    this.slots.copyWithin(at, at + 1, this.length);
    this.length -= 1;
  }
}

type Entity = RelatedDocument["entities"][number];

/**
 * One copy of each entity and facet value, shared by every post carrying it: documents parsed
 * from JSON carry their own copies, which would make the index several times larger.
 */
class Interned {
  readonly #values = new Map<string, string>();
  readonly #entities = new Map<string, Entity>();

  value<V extends string | null>(value: V): V {
    if (value === null) return value;
    const known = this.#values.get(value);
    if (known !== undefined) return known as V;
    this.#values.set(value, value);
    return value;
  }

  values(values: readonly string[]): string[] {
    return values.map((value) => this.value(value));
  }

  entity(entity: Entity): Entity {
    const key = entityKey(entity);
    const known = this.#entities.get(key);
    if (known !== undefined && known.name === entity.name && known.type === entity.type) return known;
    const copy = { ...entity, name: this.value(entity.name), type: this.value(entity.type) };
    if (known === undefined) this.#entities.set(key, copy);
    return copy;
  }
}

/** The documents, the last of each id kept, freshest first (unknown dates last), then by id. */
function freshestFirst(documents: Iterable<RelatedDocument>): RelatedDocument[] {
  const byId = new Map<string, RelatedDocument>();
  for (const document of documents) byId.set(document.id, document);
  const reviewed = (document: RelatedDocument) =>
    typeof document.last_reviewed_at === "number" ? document.last_reviewed_at : Number.NEGATIVE_INFINITY;
  return [...byId.values()].sort((a, b) => {
    const x = reviewed(a);
    const y = reviewed(b);
    if (x !== y) return x > y ? -1 : 1;
    return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
  });
}

/** In-memory related-posts index over {@link RelatedDocument}s, keyed by document id. */
export class RelatedIndex {
  readonly #slotOf = new Map<string, number>();
  #documents: (RelatedDocument | undefined)[] = [];
  /** `last_reviewed_at` per slot, −∞ when unknown (so "unknown counts as oldest" is plain comparison). */
  #reviewed = new Float64Array(16);
  /** Free slots past the ordered ones (a free ordered slot stays a hole: reusing it would break the order). */
  readonly #freeSlots: number[] = [];
  readonly #keyNumbers = new Map<string, number>();
  readonly #postings: GrowingPostings[] = [];
  readonly #interned = new Interned();
  /** Slots below it hold posts freshest first (then by id), as built; later posts take slots above it. */
  #orderedEnd = 0;
  #orderedHoles = 0;

  /** An index holding `documents` (later ones replace earlier ones of the same id), freshest first. */
  static of(documents: Iterable<RelatedDocument>): RelatedIndex {
    const index = new RelatedIndex();
    for (const document of freshestFirst(documents)) index.upsert(document);
    index.#orderedEnd = index.slotCount;
    return index;
  }

  /**
   * {@link RelatedIndex.of}, awaiting `pause()` after every `chunk` posts, so that building a
   * large index never holds the event loop for long.
   */
  static async build(
    documents: Iterable<RelatedDocument>,
    pause: () => Promise<void>,
    chunk = 2_000,
  ): Promise<RelatedIndex> {
    const index = new RelatedIndex();
    const sorted = freshestFirst(documents);
    for (let start = 0; start < sorted.length; start += chunk) {
      for (const document of sorted.slice(start, start + chunk)) index.upsert(document);
      await pause();
    }
    index.#orderedEnd = index.slotCount;
    return index;
  }

  /**
   * Slots `0 .. orderedEnd` hold posts in the related lists' tie order, freshest first (unknown
   * dates last), then by id, with holes where posts left. Posts added or re-dated since the index
   * was built sit above, in no order.
   */
  get orderedEnd(): number {
    return this.#orderedEnd;
  }

  /** Posts out of the freshness order plus holes in it: when large, building the index again pays. */
  get disorder(): number {
    return this.slotCount - this.#orderedEnd + this.#orderedHoles;
  }

  /** Posts held (N of the weights). */
  get size(): number {
    return this.#slotOf.size;
  }

  /** One more than the highest slot in use: the length of per-slot arrays a ranking needs. */
  get slotCount(): number {
    return this.#documents.length;
  }

  has(id: string): boolean {
    return this.#slotOf.has(id);
  }

  get(id: string): RelatedDocument | undefined {
    const slot = this.#slotOf.get(id);
    return slot === undefined ? undefined : this.#documents[slot];
  }

  /** The `indexed_at` stamp of the post held under `id` (undefined when absent or unstamped). */
  stampOf(id: string): number | undefined {
    return this.get(id)?.indexed_at;
  }

  /** Every post held, in slot order. */
  *documents(): IterableIterator<RelatedDocument> {
    for (const document of this.#documents) if (document !== undefined) yield document;
  }

  /** Posts carrying entity key `key` (`type:name`). */
  docFrequency(key: string): number {
    const number = this.#keyNumbers.get(key);
    return number === undefined ? 0 : (this.#postings[number] as GrowingPostings).length;
  }

  /** Adds the post, or replaces the one of the same id; posting lists change only for keys it gained or lost. */
  upsert(document: RelatedDocument): void {
    const kept = this.#normalised(document);
    const keys = this.#keyNumbersOf(kept);
    let slot = this.#slotOf.get(kept.id);
    // A re-dated post leaves its ordered slot (its place in the freshness order is elsewhere).
    if (
      slot !== undefined &&
      slot < this.#orderedEnd &&
      this.#reviewed[slot] !== (kept.last_reviewed_at ?? Number.NEGATIVE_INFINITY)
    ) {
      this.delete(kept.id);
      slot = undefined;
    }
    if (slot === undefined) {
      slot = this.#freeSlots.pop() ?? this.#documents.length;
      this.#slotOf.set(kept.id, slot);
      for (const key of keys) (this.#postings[key] as GrowingPostings).add(slot);
    } else {
      const old = this.#keyNumbersOf(this.#documents[slot] as RelatedDocument);
      for (const key of old) if (!keys.includes(key)) (this.#postings[key] as GrowingPostings).remove(slot);
      for (const key of keys) if (!old.includes(key)) (this.#postings[key] as GrowingPostings).add(slot);
    }
    this.#documents[slot] = kept;
    if (slot >= this.#reviewed.length) {
      const grown = new Float64Array(Math.max(this.#reviewed.length * 2, slot + 1));
      grown.set(this.#reviewed);
      this.#reviewed = grown;
    }
    this.#reviewed[slot] = kept.last_reviewed_at ?? Number.NEGATIVE_INFINITY;
  }

  /** Removes the post; returns whether it was held. */
  delete(id: string): boolean {
    const slot = this.#slotOf.get(id);
    if (slot === undefined) return false;
    for (const key of this.#keyNumbersOf(this.#documents[slot] as RelatedDocument))
      (this.#postings[key] as GrowingPostings).remove(slot);
    this.#slotOf.delete(id);
    this.#documents[slot] = undefined;
    this.#reviewed[slot] = Number.NEGATIVE_INFINITY;
    if (slot < this.#orderedEnd) this.#orderedHoles += 1;
    else this.#freeSlots.push(slot);
    return true;
  }

  // Read access for the ranking (`top-related.ts`): slots, key numbers, posting lists.

  /** The slot of the post held under `id`, or −1. */
  slotOf(id: string): number {
    return this.#slotOf.get(id) ?? -1;
  }

  /** The post in `slot` (undefined for a free slot). */
  documentAt(slot: number): RelatedDocument | undefined {
    return this.#documents[slot];
  }

  /** `last_reviewed_at` of the post in `slot`, −∞ when unknown. */
  reviewedAt(slot: number): number {
    return this.#reviewed[slot] ?? Number.NEGATIVE_INFINITY;
  }

  /** The number of entity key `key`, or −1 when no post held has ever carried it. */
  keyNumberOf(key: string): number {
    return this.#keyNumbers.get(key) ?? -1;
  }

  /** The posts carrying key number `number`. */
  postingsOf(number: number): PostingList {
    return this.#postings[number] as PostingList;
  }

  /** The document with every field the index reads present (Meilisearch may return nulls or omit fields), values interned. */
  #normalised(document: RelatedDocument): RelatedDocument {
    const interned = this.#interned;
    const text = (value: unknown) => (typeof value === "string" ? interned.value(value) : null);
    const list = (value: unknown) =>
      Array.isArray(value) ? interned.values(value.filter((item): item is string => typeof item === "string")) : [];
    return {
      id: document.id,
      title: document.title ?? "",
      entities: Array.isArray(document.entities) ? document.entities.map((entity) => interned.entity(entity)) : [],
      stack: list(document.stack),
      tools: list(document.tools),
      difficulty: text(document.difficulty),
      scenario: text(document.scenario),
      code_language: text(document.code_language),
      last_reviewed_at: typeof document.last_reviewed_at === "number" ? document.last_reviewed_at : null,
      ...(typeof document.indexed_at === "number" ? { indexed_at: document.indexed_at } : {}),
      ...relatedControlsOf(document.related),
      ...(document.flags?.no_related === true ? { flags: NO_RELATED_FLAGS } : {}),
    };
  }

  /** The post's distinct key numbers, in the order of its entities, numbering new keys. */
  #keyNumbersOf(document: RelatedDocument): number[] {
    const numbers: number[] = [];
    for (const entity of document.entities) {
      const key = entityKey(entity);
      let number = this.#keyNumbers.get(key);
      if (number === undefined) {
        number = this.#postings.length;
        this.#keyNumbers.set(key, number);
        this.#postings.push(new GrowingPostings());
      }
      if (!numbers.includes(number)) numbers.push(number);
    }
    return numbers;
  }
}
