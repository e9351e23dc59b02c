import { fromDocumentId, toDocumentId } from "../document-id.js";
import { entityKey, toRelatedFields } from "../document.js";
import { scanWithProgress, type ScanProgress } from "../records/scan-folder.js";
import { RelatedIndex, type RelatedDocument } from "./related-index.js";
import { relatedForDocument, relatedForEntities, type RelatedAnswer, type RelatedOptions } from "./retrieve.js";

/**
 * Every post's related list at once, for a static-site build (`postindex related`): the answer
 * `GET /posts/:id/related` gives, computed from the same in-memory related-posts index with the
 * same ranking and pruning, for every post, in record id order. The index comes from the live
 * Meilisearch index (as the API loads it) or straight from a content folder
 * ({@link relatedIndexFromFolder}, no server), holding exactly the posts the indexer would index.
 */

/** The related-posts index of the posts a content folder would index, read the way `reindex` reads it. */
export interface FolderRelatedIndex {
  readonly index: RelatedIndex;
  /** Records found: indexed (the posts held), excluded, rejected, duplicate ids. */
  readonly counts: { indexed: number; excluded: number; rejected: number; duplicates: number };
}

/**
 * Reads every record under `dir` (parse, normalise, validate, classify, first file of an id wins)
 * and keeps, of each indexed one, the fields the related-posts index needs, as its search
 * document has them: the index answers as the API's would over the same folder indexed.
 */
export async function relatedIndexFromFolder(
  dir: string,
  onProgress?: (progress: ScanProgress) => void,
): Promise<FolderRelatedIndex> {
  const documents: RelatedDocument[] = [];
  const counts = { indexed: 0, excluded: 0, rejected: 0, duplicates: 0 };
  await scanWithProgress(dir, {
    onRecord(outcome) {
      if (outcome.kind === "excluded") counts.excluded += 1;
      else if (outcome.kind === "rejected") counts.rejected += 1;
      else if (outcome.kind === "duplicate") counts.duplicates += 1;
      else {
        counts.indexed += 1;
        documents.push(toRelatedFields(outcome.record));
      }
    },
    onProgress,
  });
  return { index: RelatedIndex.of(documents), counts };
}

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

/** The record ids of every post of the index, in code-unit order (the export's order, independent of the index's). */
export function exportOrder(index: RelatedIndex): string[] {
  const ids: string[] = [];
  for (const document of index.documents()) ids.push(fromDocumentId(document.id));
  return ids.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/**
 * Each post's related answer, in {@link exportOrder}, exactly as `GET /posts/:id/related` answers
 * it with the same options (`limit`, `typeWeights`, `minScore`; facet filters too, though an
 * export has none), counted into `counts` as it goes.
 *
 * Posts asking the same question share one ranking: posts with the same entities (in the same
 * order, so scores are summed alike, bit for bit) and stack, and no pins or exclusions of their
 * own, get the same list but for themselves. So the group's list is ranked once, one longer and
 * with no post left out, and each member's is that list without the member, cut to the limit:
 * the order is total, so the best k of the others are the best k + 1 of all but the member. When
 * that leaves a list empty (the member was the group's only relative), it is ranked on its own.
 */
export function* relatedAnswers(
  index: RelatedIndex,
  options: ExportOptions,
  counts: RelatedExportCounts = emptyExportCounts(),
  ids: readonly string[] = exportOrder(index),
): Generator<RelatedAnswer> {
  const groups = new SharedQuestions(index, ids, options);
  for (const id of ids) {
    const answer = groups.answerFor(id) ?? relatedForDocument(index, id, options);
    counts.posts += 1;
    counts.entries += answer.related.length;
    for (const entry of answer.related) counts[entry.source] += 1;
    if (answer.fallback !== null) counts.fallbackLists += 1;
    if (answer.related.length === 0) counts.emptyLists += 1;
    yield answer;
  }
}

/** The options of an export: those of `GET /posts/:id/related`, the limit stated. */
export type ExportOptions = RelatedOptions & { readonly limit: number };

/** What posts of one question have in common: the group's list, and how many members still need it. */
interface SharedAnswer {
  answer: RelatedAnswer | undefined;
  membersLeft: number;
}

/** The answers of posts that ask the same question (see {@link relatedAnswers}). */
class SharedQuestions {
  readonly #index: RelatedIndex;
  readonly #options: RelatedOptions;
  readonly #limit: number;
  readonly #groups = new Map<string, SharedAnswer>();
  /** Each grouped post's question. */
  readonly #questions = new Map<string, string>();

  constructor(index: RelatedIndex, ids: readonly string[], options: ExportOptions) {
    this.#index = index;
    this.#options = options;
    this.#limit = options.limit;
    for (const id of ids) {
      const question = this.#questionOf(id);
      if (question === undefined) continue;
      this.#questions.set(id, question);
      const group = this.#groups.get(question);
      if (group === undefined) this.#groups.set(question, { answer: undefined, membersLeft: 1 });
      else group.membersLeft += 1;
    }
    for (const [question, group] of this.#groups) if (group.membersLeft < 2) this.#groups.delete(question);
    for (const [id, question] of this.#questions) if (!this.#groups.has(question)) this.#questions.delete(id);
  }

  /** The post's answer from its group's list; undefined when it has no group or must be ranked alone. */
  answerFor(recordId: string): RelatedAnswer | undefined {
    const question = this.#questions.get(recordId);
    const group = question === undefined ? undefined : this.#groups.get(question);
    if (question === undefined || group === undefined) return undefined;
    const document = this.#index.get(toDocumentId(recordId)) as RelatedDocument;
    group.answer ??= relatedForEntities(
      this.#index,
      { entities: document.entities, stack: document.stack },
      { ...this.#options, limit: this.#limit + 1 },
    );
    group.membersLeft -= 1;
    if (group.membersLeft === 0) this.#groups.delete(question);
    const others = group.answer.related.filter((entry) => entry.id !== recordId);
    if (others.length === 0) return undefined;
    return { id: recordId, related: others.slice(0, this.#limit), fallback: group.answer.fallback };
  }

  /** The question a post asks (its entity keys in order, and its stack), undefined when it has pins or exclusions of its own. */
  #questionOf(recordId: string): string | undefined {
    const document = this.#index.get(toDocumentId(recordId));
    if (document === undefined || document.related !== undefined) return undefined;
    let question = "";
    for (const entity of document.entities) question += `${entityKey(entity)}\u0000`;
    question += "\u0001";
    for (const stack of document.stack) question += `${stack}\u0000`;
    return question;
  }
}

/** The export's two formats: one answer per line, or one object keyed by record id. */
export type RelatedExportFormat = "ndjson" | "json";

/**
 * The export's text, in pieces to write one after the other: for `ndjson` one line per answer;
 * for `json`, `{"<id>": <answer>, …}` with one post per line.
 */
export function* exportText(answers: Iterable<RelatedAnswer>, format: RelatedExportFormat): Generator<string> {
  if (format === "ndjson") {
    for (const answer of answers) yield `${JSON.stringify(answer)}\n`;
    return;
  }
  let separator = "{\n";
  for (const answer of answers) {
    yield `${separator}${JSON.stringify(answer.id)}: ${JSON.stringify(answer)}`;
    separator = ",\n";
  }
  yield separator === "{\n" ? "{}\n" : "\n}\n";
}
