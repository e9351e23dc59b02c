import { fromDocumentId, toDocumentId } from "../document-id.js";
import { entityKey } from "../document.js";
import { diffEntriesOf, type DiffEntry } from "./related-diff.js";
import type { RelatedDocument, RelatedIndex } from "./related-index.js";
import { relatedForDocument, relatedForEntities, type RelatedAnswer, type RelatedOptions } from "./retrieve.js";

/**
 * The ranking of an export (`postindex related`), by runs of posts in export order: the part that
 * runs alike in the main thread and in a ranking worker (`ranking-worker.ts`), each over its own
 * copy of the same related-posts index, so that any share of the posts ranked anywhere gives the
 * very bytes one thread would write.
 */

/** The options of an export: those of `GET /posts/:id/related`, the limit stated. */
export type ExportOptions = RelatedOptions & { readonly limit: number };

/** The export's two formats: one answer per line, or one object keyed by record id. */
export type RelatedExportFormat = "ndjson" | "json";

/** What an export holds. */
export interface RelatedExportCounts {
  /** Posts (one list each). */
  posts: number;
  /** Entries over all lists, and by source. */
  entries: number;
  pinned: number;
  entities: number;
  fallback: number;
  /** Lists that are (or end in) a fallback, and lists with no entry at all. */
  fallbackLists: number;
  emptyLists: number;
}

export function emptyExportCounts(): RelatedExportCounts {
  return { posts: 0, entries: 0, pinned: 0, entities: 0, fallback: 0, fallbackLists: 0, emptyLists: 0 };
}

/** Adds `more` into `counts`. */
export function addExportCounts(counts: RelatedExportCounts, more: RelatedExportCounts): void {
  for (const key of Object.keys(counts) as (keyof RelatedExportCounts)[]) counts[key] += more[key];
}

function countAnswer(counts: RelatedExportCounts, answer: RelatedAnswer): void {
  counts.posts += 1;
  counts.entries += answer.related.length;
  for (const entry of answer.related) counts[entry.source] += 1;
  if (answer.fallback !== null) counts.fallbackLists += 1;
  if (answer.related.length === 0) counts.emptyLists += 1;
}

/** The text of the answer at `position` of the export: a line (`ndjson`), or a member of the object (`json`). */
export function answerText(answer: RelatedAnswer, format: RelatedExportFormat, position: number): string {
  if (format === "ndjson") return `${JSON.stringify(answer)}\n`;
  return `${position === 0 ? "{\n" : ",\n"}${JSON.stringify(answer.id)}: ${JSON.stringify(answer)}`;
}

/** What follows the last answer of an export of `posts` answers. */
export function exportEnd(format: RelatedExportFormat, posts: number): string {
  if (format === "ndjson") return "";
  return posts === 0 ? "{}\n" : "\n}\n";
}

/** The record ids of every post of the index, in code-unit order (the export's order, independent of the index's). */
function exportOrder(index: RelatedIndex): string[] {
  const ids: string[] = [];
  for (const document of index.documents()) ids.push(fromDocumentId(document.id));
  return ids.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/**
 * The posts of an export, in order, and which of them ask the same question: the same entities
 * (in the same order, so scores are summed alike, bit for bit) and stack, and no pins or
 * exclusions of their own. Such posts get the same list but for themselves, so a group's list is
 * ranked once, one longer and with no post left out, and each member's is that list without the
 * member, cut to the limit: the order is total, so the best k of the others are the best k + 1 of
 * all but the member. When that leaves a list empty (the member was the group's only relative),
 * it is ranked on its own.
 */
export interface ExportPlan {
  /** Record ids, in export order. */
  readonly ids: readonly string[];
  /** The group of the post at each position, −1 when it asks a question of its own. */
  readonly groupOf: Int32Array;
  /** Each group's first and last member's position: the first member's question is the group's. */
  readonly groupFirst: Int32Array;
  readonly groupLast: Int32Array;
}

/** The question a post asks (its entity keys in order, and its stack), undefined when it has pins or exclusions of its own. */
function questionOf(document: RelatedDocument | undefined): string | undefined {
  if (document === undefined || document.related !== undefined) return undefined;
  let question = "";
  for (const entity of document.entities) question += `${entityKey(entity)}\u0000`;
  question += "\u0001";
  for (const stack of document.stack) question += `${stack}\u0000`;
  return question;
}

/** The plan of an export of every post of `index` (see {@link ExportPlan}). */
export function planExport(index: RelatedIndex, ids: readonly string[] = exportOrder(index)): ExportPlan {
  // Each post's question, as the position of the first post asking it, and how many ask it.
  const firstAsker = new Map<string, number>();
  const askers = new Int32Array(ids.length).fill(-1);
  const asked = new Int32Array(ids.length);
  for (let position = 0; position < ids.length; position += 1) {
    const question = questionOf(index.get(toDocumentId(ids[position] as string)));
    if (question === undefined) continue;
    const first = firstAsker.get(question) ?? position;
    if (first === position) firstAsker.set(question, position);
    askers[position] = first;
    asked[first] = (asked[first] as number) + 1;
  }
  // Group numbers for the questions asked at least twice, in the order first asked.
  const groupOf = new Int32Array(ids.length).fill(-1);
  const numberOf = new Int32Array(ids.length).fill(-1);
  const groupFirst: number[] = [];
  const groupLast: number[] = [];
  for (let position = 0; position < ids.length; position += 1) {
    const asker = askers[position] as number;
    if (asker < 0 || (asked[asker] as number) < 2) continue;
    if (asker === position) {
      numberOf[asker] = groupFirst.length;
      groupFirst.push(position);
      groupLast.push(position);
    }
    const group = numberOf[asker] as number;
    groupOf[position] = group;
    groupLast[group] = position;
  }
  return { ids, groupOf, groupFirst: Int32Array.from(groupFirst), groupLast: Int32Array.from(groupLast) };
}

/** A run of the export: its text and what it holds, and each post's entries when asked for (`--diff`). */
export interface ExportChunk {
  /** Positions `start .. end` of the export. */
  readonly start: number;
  readonly end: number;
  readonly text: string;
  readonly counts: RelatedExportCounts;
  /** Each post's id and entries, in order (only when asked for). */
  readonly lists?: readonly (readonly [string, DiffEntry[]])[];
}

/**
 * The answers of an export's posts, by position, exactly as `GET /posts/:id/related` answers them
 * with the same options: a post of a group (see {@link ExportPlan}) from its group's list, any
 * other ranked on its own. A group's list is kept while a later run may need it.
 */
export class ExportRanker {
  readonly #index: RelatedIndex;
  readonly #plan: ExportPlan;
  readonly #options: ExportOptions;
  readonly #groupAnswers = new Map<number, RelatedAnswer>();

  constructor(index: RelatedIndex, plan: ExportPlan, options: ExportOptions) {
    this.#index = index;
    this.#plan = plan;
    this.#options = options;
  }

  /** The post's answer at `position` of the export. */
  answerAt(position: number): RelatedAnswer {
    const id = this.#plan.ids[position] as string;
    const group = this.#plan.groupOf[position] as number;
    if (group >= 0) {
      const answer = this.#groupAnswer(group);
      if ((this.#plan.groupLast[group] as number) <= position) this.#groupAnswers.delete(group);
      const others = answer.related.filter((entry) => entry.id !== id);
      if (others.length > 0) return { id, related: others.slice(0, this.#options.limit), fallback: answer.fallback };
    }
    return relatedForDocument(this.#index, id, this.#options);
  }

  /** The text of positions `start .. end`, counted, with each post's entries when `withLists`. */
  rank(start: number, end: number, format: RelatedExportFormat, withLists = false): ExportChunk {
    // Lists of groups no later post asks for (their last member came before this run) go.
    for (const group of this.#groupAnswers.keys())
      if ((this.#plan.groupLast[group] as number) < start) this.#groupAnswers.delete(group);
    const counts = emptyExportCounts();
    const lists: [string, DiffEntry[]][] = [];
    let text = "";
    for (let position = start; position < end; position += 1) {
      const answer = this.answerAt(position);
      countAnswer(counts, answer);
      text += answerText(answer, format, position);
      if (withLists) lists.push([answer.id as string, diffEntriesOf(answer)]);
    }
    return { start, end, text, counts, ...(withLists ? { lists } : {}) };
  }

  #groupAnswer(group: number): RelatedAnswer {
    let answer = this.#groupAnswers.get(group);
    if (answer === undefined) {
      const first = this.#plan.ids[this.#plan.groupFirst[group] as number] as string;
      const document = this.#index.get(toDocumentId(first)) as RelatedDocument;
      answer = relatedForEntities(
        this.#index,
        { entities: document.entities, stack: document.stack },
        { ...this.#options, limit: this.#options.limit + 1 },
      );
      this.#groupAnswers.set(group, answer);
    }
    return answer;
  }
}
