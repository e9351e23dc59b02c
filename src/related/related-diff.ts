import type { RelatedAnswer, RelatedSource } from "./retrieve.js";

/**
 * What changed between two related-posts exports (`postindex related --diff OLD`), for a content
 * pull request to show "these 12 posts' similar posts change". A list changed when its entries,
 * in order, are not the same posts from the same sources; scores alone are not compared (every
 * score moves a little whenever a post is added, as rarities are relative to the whole site).
 */

/** An entry as the diff compares it. */
export interface DiffEntry {
  readonly id: string;
  readonly source: RelatedSource;
}

/** One post whose list changed. */
export interface ChangedList {
  readonly id: string;
  /** Entries in the new list and not in the old (by post id), in the new list's order. */
  readonly added: readonly DiffEntry[];
  /** Entries in the old list and not in the new, in the old list's order. */
  readonly removed: readonly DiffEntry[];
  /** The same posts as before, but in another order or from another source (pinned, entities, fallback). */
  readonly reordered: boolean;
}

/** The whole diff. */
export interface RelatedDiff {
  /** Posts in both exports whose list changed, by id. */
  readonly changed: ChangedList[];
  /** Posts only in the new export (newly indexed), and only in the old one (gone). */
  readonly addedPosts: string[];
  readonly removedPosts: string[];
  /** Posts in both whose list is the same. */
  readonly unchanged: number;
}

/** Each post's entries, by post id, from an export (either format). */
export type ExportLists = Map<string, DiffEntry[]>;

/** The entries of an answer, as compared. */
export function diffEntriesOf(answer: Pick<RelatedAnswer, "related">): DiffEntry[] {
  return answer.related.map((entry) => ({ id: entry.id, source: entry.source }));
}

/**
 * The lists of an export's text: NDJSON (an answer per line) or JSON (one object keyed by id).
 * @throws Error naming the line (NDJSON) or the post that is not an answer
 */
export function parseExport(text: string): ExportLists {
  const lists: ExportLists = new Map();
  const body = text.replace(/^\uFEFF/, "");
  const firstLine = body.slice(0, body.indexOf("\n") === -1 ? body.length : body.indexOf("\n")).trim();
  if (isAnswerLine(firstLine)) {
    let number = 0;
    for (const line of body.split("\n")) {
      number += 1;
      if (line.trim() === "") continue;
      let answer: unknown;
      try {
        answer = JSON.parse(line);
      } catch {
        throw new Error(`line ${number} is not JSON`);
      }
      const id = readAnswer(answer, `line ${number}`);
      lists.set(id, diffEntriesOf(answer as RelatedAnswer));
    }
    return lists;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    throw new Error("it is neither NDJSON related answers nor a JSON object of them");
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed))
    throw new Error("expected a JSON object keyed by post id");
  for (const [id, answer] of Object.entries(parsed)) {
    readAnswer({ id, ...(answer as object) }, `post ${JSON.stringify(id)}`);
    lists.set(id, diffEntriesOf(answer as RelatedAnswer));
  }
  return lists;
}

function isAnswerLine(line: string): boolean {
  if (!line.startsWith("{") || !line.endsWith("}")) return false;
  try {
    const value: unknown = JSON.parse(line);
    return typeof value === "object" && value !== null && "id" in value && "related" in value;
  } catch {
    return false;
  }
}

/** The answer's id, after checking it has the shape the diff reads. */
function readAnswer(answer: unknown, where: string): string {
  const value = answer as { id?: unknown; related?: unknown };
  const isAnswer =
    typeof value === "object" &&
    value !== null &&
    typeof value.id === "string" &&
    Array.isArray(value.related) &&
    value.related.every(
      (entry: unknown) => typeof entry === "object" && entry !== null && typeof (entry as DiffEntry).id === "string",
    );
  if (!isAnswer) throw new Error(`${where}: expected {"id", "related": [{"id", …}]}`);
  return value.id as string;
}

/** Compares the old export's lists with the new one's. */
export function diffExports(before: ExportLists, after: ExportLists): RelatedDiff {
  const changed: ChangedList[] = [];
  const addedPosts: string[] = [];
  const removedPosts: string[] = [];
  let unchanged = 0;
  for (const [id, entries] of after) {
    const old = before.get(id);
    if (old === undefined) {
      addedPosts.push(id);
      continue;
    }
    if (sameEntries(old, entries)) {
      unchanged += 1;
      continue;
    }
    const oldIds = new Set(old.map((entry) => entry.id));
    const newIds = new Set(entries.map((entry) => entry.id));
    const added = entries.filter((entry) => !oldIds.has(entry.id));
    const removed = old.filter((entry) => !newIds.has(entry.id));
    changed.push({ id, added, removed, reordered: added.length === 0 && removed.length === 0 });
  }
  for (const id of before.keys()) if (!after.has(id)) removedPosts.push(id);
  const byId = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  changed.sort((a, b) => byId(a.id, b.id));
  addedPosts.sort(byId);
  removedPosts.sort(byId);
  return { changed, addedPosts, removedPosts, unchanged };
}

function sameEntries(a: readonly DiffEntry[], b: readonly DiffEntry[]): boolean {
  if (a.length !== b.length) return false;
  for (let at = 0; at < a.length; at += 1) {
    if (a[at]?.id !== b[at]?.id || a[at]?.source !== b[at]?.source) return false;
  }
  return true;
}

/** The diff as an editor reads it: a line of counts, then each changed post with `+ id` / `- id` entries. */
export function formatDiff(diff: RelatedDiff, maxListed = 200): string {
  const lines = [
    `related posts: ${diff.changed.length} ${diff.changed.length === 1 ? "list" : "lists"} changed, ` +
      `${diff.addedPosts.length} new ${diff.addedPosts.length === 1 ? "post" : "posts"}, ` +
      `${diff.removedPosts.length} ${diff.removedPosts.length === 1 ? "post" : "posts"} gone, ${diff.unchanged} unchanged`,
  ];
  const mark = (entry: DiffEntry) => (entry.source === "entities" ? entry.id : `${entry.id} (${entry.source})`);
  for (const change of diff.changed.slice(0, maxListed)) {
    lines.push("", `${change.id}:`);
    for (const entry of change.added) lines.push(`  + ${mark(entry)}`);
    for (const entry of change.removed) lines.push(`  - ${mark(entry)}`);
    if (change.reordered) lines.push("  ~ same posts, new order or source");
  }
  if (diff.changed.length > maxListed) lines.push("", `… ${diff.changed.length - maxListed} more (see --json)`);
  if (diff.addedPosts.length > 0) lines.push("", `new posts: ${diff.addedPosts.join(", ")}`);
  if (diff.removedPosts.length > 0) lines.push("", `posts gone: ${diff.removedPosts.join(", ")}`);
  return lines.join("\n");
}
