import { RelatedIndex, type Logger, type MeiliClient, type RelatedDocument } from "../src/index.js";
import { IndexFeed, type StampRange } from "./index-feed.js";

/**
 * The API's related-posts index, kept in step with the live Meilisearch index.
 *
 * - Loaded once: every document's related fields, several pages at a time.
 * - Then polled every `pollMs`: the documents stamped `indexed_at >= cursor` (the indexer stamps
 *   every document it pushes, in push order, so stamps only grow) are applied, and the cursor
 *   moves to the highest stamp read. A reindex's swap restamps everything, so it arrives the same
 *   way; when the changes are most of the index, the index is loaded afresh instead (the old one
 *   answers meanwhile).
 * - Deletions leave no stamp, so each poll also reads the index's document count. When it differs
 *   from what is held, the difference is found by counting stamp ranges (a multi-search of exact
 *   counts, which reads no document), splitting the ranges that disagree until they are small,
 *   and reading the ids of those only; a post is dropped only after a read by id confirms it gone.
 *   Unstamped documents (pushed before stamps existed) are counted and compared as one range.
 * - The index numbers its posts freshest first when it is built (see `RelatedIndex.orderedEnd`);
 *   posts added or re-dated since sit outside that order. When they are many, the index is built
 *   again in the background, and the changes made meanwhile are replayed on it.
 * - Freshness: an answer never comes from a state older than `maxStalenessMs`. When the last
 *   successful look is older (polling paused while idle, or failing), the request waits for a new
 *   one, and fails as Meilisearch fails (503) when that fails.
 *
 * Polling pauses after `idleMs` without a related request and resumes with the next one (which
 * then waits for the catch-up: one small request when nothing changed).
 */

/** Options for {@link LiveRelatedIndex}. */
export interface LiveRelatedIndexOptions {
  readonly client: MeiliClient;
  readonly indexUid: string;
  readonly log: Logger;
  /** Pause between polls. @default 250 */
  readonly pollMs?: number;
  /** Oldest state an answer may come from. @default 500 */
  readonly maxStalenessMs?: number;
  /** Polling pauses after this long without a related request. @default 60000 */
  readonly idleMs?: number;
  /** Documents per page while catching up. @default 2000 */
  readonly pageSize?: number;
  /** Posts out of the freshness order that start a rebuild, at the least (else an eighth of the index). @default 1000 */
  readonly rebuildAfter?: number;
}

/** Pages read at once while loading, and their size. */
const LOAD_STREAMS = 4;
const LOAD_PAGE = 1_000;
/** Stamp ranges a disagreeing range is split into, counted in one multi-search. */
const SPLIT = 32;
/** A disagreeing range holding at most this many posts is read (ids and stamps) rather than split. */
const LEAF = 200;
/** `totalHits` is capped by `pagination.maxTotalHits`: a count at the cap says "at least". */
const COUNT_CAP = 100_000;

/** Lets other work (requests) run between chunks of a build. */
const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

type Change = { readonly upsert: RelatedDocument } | { readonly delete: string };

/** Posts held in one stamp range, sorted by stamp. */
interface HeldStamps {
  readonly range: StampRange;
  readonly held: readonly { readonly id: string; readonly stamp: number }[];
}

/** The related-posts index of one live index, refreshed from Meilisearch (see the module comment). */
export class LiveRelatedIndex {
  readonly #feed: IndexFeed;
  readonly #log: Logger;
  readonly #pollMs: number;
  readonly #maxStalenessMs: number;
  readonly #idleMs: number;
  readonly #pageSize: number;
  readonly #rebuildAfter: number;
  #index: RelatedIndex | undefined;
  /** Every document stamped below it is held as the index has it. */
  #cursor = 0;
  /** The count disagreed on the last poll while changes were arriving (maybe a race): look closer if it persists. */
  #isSuspect = false;
  /** When the last successful look started (performance.now()). */
  #syncedAt = Number.NEGATIVE_INFINITY;
  /** When a request of the current look last succeeded: a long catch-up that makes progress is not stale. */
  #progressAt = Number.NEGATIVE_INFINITY;
  #lastFailed = false;
  #syncing: Promise<void> | undefined;
  /** While the index is rebuilt: the changes applied to it since, to replay on the new one. */
  #journal: Change[] | undefined;
  #timer: NodeJS.Timeout | undefined;
  #demandAt = Number.NEGATIVE_INFINITY;
  #isClosed = false;

  constructor(options: LiveRelatedIndexOptions) {
    this.#feed = new IndexFeed(options.client, options.indexUid);
    this.#log = options.log.child({ component: "related-index", index: options.indexUid });
    this.#pollMs = options.pollMs ?? 250;
    this.#maxStalenessMs = options.maxStalenessMs ?? 500;
    this.#idleMs = options.idleMs ?? 60_000;
    this.#pageSize = options.pageSize ?? 2_000;
    this.#rebuildAfter = options.rebuildAfter ?? 1_000;
  }

  /** Starts loading and polling now rather than at the first request (the API does at start-up). */
  start(): void {
    this.#demandAt = performance.now();
    this.#sync().catch(() => undefined);
  }

  /**
   * The index, no older than `maxStalenessMs`.
   * @throws MeiliUnavailableError / PostindexError (`index_not_found`: not built yet) when it cannot be read
   */
  async current(): Promise<RelatedIndex> {
    this.#demandAt = performance.now();
    if (this.#index !== undefined && this.#isFresh()) {
      this.#schedule();
      return this.#index;
    }
    await this.#sync();
    return this.#index as RelatedIndex;
  }

  /** Stops polling and waits for a look in progress. */
  async close(): Promise<void> {
    this.#isClosed = true;
    clearTimeout(this.#timer);
    this.#timer = undefined;
    await this.#syncing?.catch(() => undefined);
  }

  #isFresh(): boolean {
    if (this.#lastFailed) return false;
    const now = performance.now();
    return (
      now - this.#syncedAt <= this.#maxStalenessMs ||
      (this.#syncing !== undefined && now - this.#progressAt <= this.#maxStalenessMs)
    );
  }

  /** One look (the running one, if any): load, or catch up. Rejects when it fails. */
  #sync(): Promise<void> {
    this.#syncing ??= this.#look().finally(() => {
      this.#syncing = undefined;
      this.#schedule();
    });
    return this.#syncing;
  }

  #schedule(): void {
    if (this.#isClosed || this.#timer !== undefined || this.#syncing !== undefined) return;
    if (performance.now() - this.#demandAt > this.#idleMs) return;
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      this.#sync().catch(() => undefined);
    }, this.#pollMs);
    this.#timer.unref();
  }

  async #look(): Promise<void> {
    const startedAt = performance.now();
    try {
      if (this.#index === undefined) await this.#load();
      else {
        await this.#catchUp();
        this.#rebuildIfDisordered();
      }
      this.#syncedAt = startedAt;
      if (this.#lastFailed) this.#log.info("related-posts index reading Meilisearch again");
      this.#lastFailed = false;
    } catch (error) {
      if (!this.#lastFailed)
        this.#log.warn({ err: error }, "related-posts index could not read Meilisearch; related answers wait for it");
      this.#lastFailed = true;
      throw error;
    }
  }

  /** Runs a feed request, noting progress when it succeeds. */
  async #read<T>(request: Promise<T>): Promise<T> {
    const sentAt = performance.now();
    const result = await request;
    this.#progressAt = Math.max(this.#progressAt, sentAt);
    return result;
  }

  /** The index held (only called once loaded). */
  get #held(): RelatedIndex {
    return this.#index as RelatedIndex;
  }

  #upsert(document: RelatedDocument): void {
    this.#held.upsert(document);
    this.#journal?.push({ upsert: document });
  }

  #delete(id: string): void {
    this.#held.delete(id);
    this.#journal?.push({ delete: id });
  }

  /**
   * Builds the index again, in the background, once many posts sit out of its freshness order
   * (added or re-dated since it was built: the tie stop of the ranking does not reach them). The
   * changes applied meanwhile are replayed on the new index before it takes the old one's place.
   */
  #rebuildIfDisordered(): void {
    const index = this.#held;
    if (this.#journal !== undefined || index.disorder <= Math.max(this.#rebuildAfter, index.size / 8)) return;
    const journal: Change[] = [];
    this.#journal = journal;
    RelatedIndex.build([...index.documents()], nextTurn)
      .then((fresh) => {
        if (this.#journal !== journal || this.#index !== index) return;
        for (const change of journal) {
          if ("upsert" in change) fresh.upsert(change.upsert);
          else fresh.delete(change.delete);
        }
        this.#index = fresh;
        this.#log.debug({ posts: fresh.size }, "related-posts index rebuilt in freshness order");
      })
      .catch((error: unknown) => this.#log.warn({ err: error }, "related-posts index could not be rebuilt"))
      .finally(() => {
        if (this.#journal === journal) this.#journal = undefined;
      });
  }

  /**
   * Reads every document into a new index, {@link LOAD_STREAMS} pages at a time (Meilisearch
   * decompresses each document it returns: one request at a time leaves it mostly waiting), and
   * puts it in place of the old one, which answers meanwhile.
   */
  async #load(): Promise<void> {
    const startedAt = performance.now();
    // Anything stamped after this is read again by the first catch-up, whichever version a page saw.
    const newest = await this.#read(this.#feed.newestStamp());
    const pages: RelatedDocument[][] = [];
    let nextPage = 0;
    let isLastRead = false;
    const stream = async () => {
      while (!isLastRead) {
        const number = nextPage++;
        const page = await this.#read(this.#feed.page(number * LOAD_PAGE, LOAD_PAGE));
        pages[number] = page;
        if (page.length < LOAD_PAGE) isLastRead = true;
      }
    };
    await Promise.all(Array.from({ length: LOAD_STREAMS }, stream));
    const index = await RelatedIndex.build(pages.flat(), nextTurn);
    // A rebuild in progress started from the old index: its result is dropped.
    this.#journal = undefined;
    this.#index = index;
    this.#cursor = newest ?? 0;
    this.#isSuspect = false;
    this.#log.info({ posts: index.size, ms: Math.round(performance.now() - startedAt) }, "related-posts index loaded");
  }

  async #catchUp(): Promise<void> {
    const counted = this.#read(this.#feed.count());
    counted.catch(() => undefined);
    let changed = 0;
    let seen = 0;
    // Pages of `indexed_at >= cursor`, oldest first; `skip` steps over the documents already read at the cursor's stamp.
    for (let cursor = this.#cursor, skip = 0; ;) {
      const page = await this.#read(this.#feed.changedSince(cursor, skip, this.#pageSize));
      if (seen === 0 && page.length === this.#pageSize && (await this.#isMostlyNew(cursor))) {
        // A reindex's swap (everything restamped): a fresh load is faster, and it drops the deleted posts too.
        await counted.catch(() => undefined);
        await this.#load();
        return;
      }
      seen += page.length;
      for (const document of page) {
        if (this.#held.has(document.id) && this.#held.stampOf(document.id) === document.indexed_at) continue;
        this.#upsert(document);
        changed += 1;
      }
      const last = page.at(-1)?.indexed_at;
      if (typeof last === "number") {
        const atLast = page.filter((document) => document.indexed_at === last).length;
        skip = last === cursor ? skip + atLast : atLast;
        cursor = last;
        this.#cursor = cursor;
      }
      if (page.length < this.#pageSize) break;
    }
    const count = await counted;
    // Nothing at or above the cursor: the newest post held is gone, or the index went back in time.
    const lostCursor = seen === 0 && this.#cursor > 0;
    if (count === this.#held.size && !lostCursor) {
      this.#isSuspect = false;
      return;
    }
    if (changed > 0 && !this.#isSuspect && !lostCursor) {
      this.#isSuspect = true;
      return;
    }
    this.#isSuspect = false;
    await this.#reconcile();
  }

  /** Whether at least half the posts held were stamped at or after `cursor` (counted, no document read). */
  async #isMostlyNew(cursor: number): Promise<boolean> {
    const [changed] = await this.#read(this.#feed.countIn([{ from: cursor, to: null }]));
    return (changed ?? 0) * 2 >= this.#held.size;
  }

  /** Finds what the index and the held posts disagree on, by counting stamp ranges, and fixes it. */
  async #reconcile(): Promise<void> {
    const stamped: { id: string; stamp: number }[] = [];
    const unstamped: string[] = [];
    for (const document of this.#held.documents()) {
      if (typeof document.indexed_at === "number") stamped.push({ id: document.id, stamp: document.indexed_at });
      else unstamped.push(document.id);
    }
    stamped.sort((a, b) => a.stamp - b.stamp);
    const parts = splitRange({ range: { from: null, to: null }, held: stamped });
    const counts = await this.#read(this.#feed.countIn([...parts.map((part) => part.range), null]));
    let fixed = 0;
    for (const [position, part] of parts.entries()) {
      if (counts[position] !== part.held.length) fixed += await this.#reconcileRange(part, counts[position] as number);
    }
    if (counts[parts.length] !== unstamped.length) fixed += await this.#reconcileUnstamped(unstamped);
    const newest = stamped.reduce(
      (max, entry) => (this.#held.stampOf(entry.id) === entry.stamp ? Math.max(max, entry.stamp) : max),
      0,
    );
    this.#cursor = Math.min(this.#cursor, newest);
    this.#log.debug({ fixed, posts: this.#held.size }, "related-posts index reconciled with Meilisearch");
  }

  async #reconcileRange(part: HeldStamps, count: number): Promise<number> {
    const canSplit = part.held.length > LEAF && count < COUNT_CAP && count > LEAF;
    const parts = canSplit ? splitRange(part) : [];
    if (parts.length < 2) {
      const present = await this.#read(this.#feed.stampsIn(part.range));
      return this.#fix(
        part.held.map((entry) => entry.id),
        present,
      );
    }
    const counts = await this.#read(this.#feed.countIn(parts.map((inner) => inner.range)));
    let fixed = 0;
    for (const [position, inner] of parts.entries()) {
      if (counts[position] !== inner.held.length)
        fixed += await this.#reconcileRange(inner, counts[position] as number);
    }
    return fixed;
  }

  async #reconcileUnstamped(held: readonly string[]): Promise<number> {
    return this.#fix(held, await this.#read(this.#feed.stampsIn(null)));
  }

  /**
   * `held`: the ids held in a range; `present`: the index's documents in it. Posts held but absent
   * from the range (deleted, or restamped since) and documents not held as they are now are read
   * by id: found ones are applied, held ones not found are dropped.
   */
  async #fix(held: readonly string[], present: readonly { id: string; indexed_at?: number }[]): Promise<number> {
    const presentIds = new Set(present.map((document) => document.id));
    const gone = held.filter((id) => !presentIds.has(id));
    const stale = present
      .filter((document) => !this.#held.has(document.id) || this.#held.stampOf(document.id) !== document.indexed_at)
      .map((document) => document.id);
    if (gone.length === 0 && stale.length === 0) return 0;
    const found: RelatedDocument[] = await this.#read(this.#feed.byIds([...gone, ...stale]));
    for (const document of found) this.#upsert(document);
    const foundIds = new Set(found.map((document) => document.id));
    for (const id of gone) if (!foundIds.has(id)) this.#delete(id);
    return gone.length + stale.length;
  }
}

/**
 * Splits a range into up to {@link SPLIT} consecutive ranges holding about as many posts each
 * (posts of one stamp stay together); together they cover the whole range.
 */
function splitRange(part: HeldStamps): HeldStamps[] {
  const { held, range } = part;
  const parts: HeldStamps[] = [];
  let start = 0;
  let from = range.from;
  for (let step = 1; step <= SPLIT && start < held.length; step += 1) {
    let end = step === SPLIT ? held.length : Math.max(start + 1, Math.floor((held.length * step) / SPLIT));
    while (end < held.length && held[end]?.stamp === held[end - 1]?.stamp) end += 1;
    const to = end >= held.length ? range.to : (held[end] as { stamp: number }).stamp;
    parts.push({ range: { from, to }, held: held.slice(start, end) });
    from = to;
    start = end;
  }
  if (parts.length === 0) parts.push({ range, held: [] });
  return parts;
}
