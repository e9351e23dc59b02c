import { expect } from "vitest";
import { meiliErrorCode, toDocumentId, type MeiliClient } from "../../src/index.js";
import { bulkyPost } from "./fault-corpus.js";

/** One post as the test wrote it: its title (which carries its version) and the file it sits in. */
export interface PostState {
  readonly title: string;
  /** Relative to the content folder, `/`-separated. */
  readonly file: string;
}

/** Record id → post: what an index holds, or must hold. */
export type PostStates = Map<string, PostState>;

/** The {@link PostState} of `bulkyPost(id, version)` written to `file`. */
export function bulkyState(id: string, version: number, file: string): PostState {
  return { title: String(bulkyPost(id, version)["title"]), file };
}

/**
 * The posts the test wrote into `files` (relative path → the text it wrote: one JSON post per
 * `.json` file, one per line in `.ndjson`), by record id. Read back from the test's own text, not
 * through the indexer's reader, so that the expectation does not come from the code under test.
 * @throws when two files hold the same id: the scenario then says which copy the index must hold.
 */
export function postsOf(files: Record<string, string>): PostStates {
  const posts: PostStates = new Map();
  for (const [file, text] of Object.entries(files)) {
    const lines = file.endsWith(".ndjson") ? text.split("\n").filter((line) => line !== "") : [text];
    for (const line of lines) {
      const { id, title } = JSON.parse(line) as { id: string; title: string };
      const earlier = posts.get(id);
      if (earlier !== undefined) throw new Error(`${id} is written to ${earlier.file} and ${file}: say which one wins`);
      posts.set(id, { title, file });
    }
  }
  return posts;
}

interface StoredPost {
  id: string;
  source_id: string;
  title: string;
  source_file: string;
}

/**
 * Every document of index `uid` (empty when it does not exist), by record id, read page by page
 * with a key that may read documents. A document whose id is not its record's document id, or a
 * record id held by two documents, is a problem.
 */
export async function storedPosts(
  client: MeiliClient,
  uid: string,
): Promise<{ posts: PostStates; problems: string[] }> {
  const posts: PostStates = new Map();
  const problems: string[] = [];
  const fields: (keyof StoredPost)[] = ["id", "source_id", "title", "source_file"];
  for (let offset = 0; ; offset += 1_000) {
    let results: StoredPost[];
    try {
      ({ results } = await client.index<StoredPost>(uid).getDocuments({ fields, limit: 1_000, offset }));
    } catch (error) {
      if (meiliErrorCode(error) === "index_not_found") return { posts, problems };
      throw error;
    }
    for (const document of results) {
      if (posts.has(document.source_id)) problems.push(`duplicate: ${document.source_id} is held by two documents`);
      if (document.id !== toDocumentId(document.source_id))
        problems.push(`document ${document.id} is not the document id of ${document.source_id}`);
      posts.set(document.source_id, { title: document.title, file: document.source_file });
    }
    if (results.length < 1_000) return { posts, problems };
  }
}

/** Every way `actual` differs from `expected`: missing, stale (not written), outdated title, wrong file. */
function comparePosts(expected: PostStates, actual: PostStates): string[] {
  const problems: string[] = [];
  for (const [id, wanted] of expected) {
    const held = actual.get(id);
    if (held === undefined) problems.push(`missing: ${id}`);
    else if (held.title !== wanted.title)
      problems.push(`outdated: ${id} is titled "${held.title}", not "${wanted.title}"`);
    else if (held.file !== wanted.file) problems.push(`wrong source file: ${id} says ${held.file}, not ${wanted.file}`);
  }
  for (const id of actual.keys()) if (!expected.has(id)) problems.push(`stale: ${id} was not written`);
  return problems;
}

/** The differences between index `uid` and `expected` (at most the first 8, and how many there are); empty when they agree. */
async function indexProblems(client: MeiliClient, uid: string, expected: PostStates): Promise<string[]> {
  const { posts, problems } = await storedPosts(client, uid);
  const all = [...problems, ...comparePosts(expected, posts)];
  return all.length > 8 ? [...all.slice(0, 8), `… ${all.length} problems in all`] : all;
}

/** Fails with the differences unless index `uid` holds exactly the posts `expected` now. */
export async function expectIndexMatches(client: MeiliClient, uid: string, expected: PostStates): Promise<void> {
  expect(await indexProblems(client, uid, expected), `index "${uid}" holds what the test wrote`).toEqual([]);
}

/**
 * Waits until index `uid` holds exactly the posts `expected` (ids, titles, source files; nothing
 * stale, missing or duplicated), failing with the remaining differences.
 */
export async function expectConvergence(
  client: MeiliClient,
  uid: string,
  expected: PostStates,
  timeoutMs = 30_000,
): Promise<void> {
  await expect
    .poll(() => indexProblems(client, uid, expected), {
      timeout: timeoutMs,
      interval: 100,
      message: `index "${uid}" converges to what the test wrote`,
    })
    .toEqual([]);
}
