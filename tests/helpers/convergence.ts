import { meiliErrorCode, scanFolder, toDocumentId, toSearchDocument, type MeiliClient } from "../../src/index.js";
import { expect } from "vitest";

/** One post as far as convergence goes: its content hash and the file it was read from. */
export interface PostState {
  readonly hash: string;
  readonly file: string;
}

/** Record id → post: what an index holds, or must hold. */
export type PostStates = Map<string, PostState>;

/**
 * What the index must hold for `dir`, decided the way `check` decides it (scanFolder, then
 * toSearchDocument for every indexed record): record id → content hash and source file.
 * @throws when the folder has rejected records: the scenario is then not a clean final state.
 */
export async function expectedPosts(dir: string): Promise<PostStates> {
  const expected: PostStates = new Map();
  const rejected: string[] = [];
  for await (const event of scanFolder(dir)) {
    if (event.type !== "record") continue;
    const { outcome } = event;
    if (outcome.kind === "rejected") rejected.push(`${outcome.file}:${outcome.line ?? ""} ${outcome.message}`);
    if (outcome.kind !== "indexed") continue;
    const document = toSearchDocument(outcome.record, outcome.file);
    expected.set(document.source_id, { hash: document.content_hash, file: document.source_file });
  }
  if (rejected.length > 0) throw new Error(`the folder has rejected records: ${rejected.slice(0, 3).join("; ")}`);
  return expected;
}

interface StoredPost {
  id: string;
  source_id: string;
  content_hash: string;
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
  const fields: (keyof StoredPost)[] = ["id", "source_id", "content_hash", "source_file"];
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
      posts.set(document.source_id, { hash: document.content_hash, file: document.source_file });
    }
    if (results.length < 1_000) return { posts, problems };
  }
}

/** Every way `actual` differs from `expected`: missing, stale (not wanted), outdated content, wrong file. */
export function comparePosts(expected: PostStates, actual: PostStates): string[] {
  const problems: string[] = [];
  for (const [id, wanted] of expected) {
    const held = actual.get(id);
    if (held === undefined) problems.push(`missing: ${id}`);
    else if (held.hash !== wanted.hash) problems.push(`outdated content: ${id}`);
    else if (held.file !== wanted.file)
      problems.push(`wrong source file: ${id} says ${held.file}, the folder ${wanted.file}`);
  }
  for (const id of actual.keys()) if (!expected.has(id)) problems.push(`stale: ${id} is not in the folder`);
  return problems;
}

/** The differences between index `uid` and `expected` (or the folder `dir`'s posts); empty when they agree. */
export async function indexProblems(
  client: MeiliClient,
  uid: string,
  expected: PostStates | string,
): Promise<string[]> {
  const wanted = typeof expected === "string" ? await expectedPosts(expected) : expected;
  const { posts, problems } = await storedPosts(client, uid);
  return [...problems, ...comparePosts(wanted, posts)];
}

function summary(problems: readonly string[]): string {
  return `${problems.length} problems: ${problems.slice(0, 8).join("; ")}${problems.length > 8 ? "; …" : ""}`;
}

/** Fails with the differences unless index `uid` holds exactly `expected` (or what folder `dir` says) now. */
export async function expectIndexMatches(
  client: MeiliClient,
  uid: string,
  expected: PostStates | string,
): Promise<void> {
  const problems = await indexProblems(client, uid, expected);
  if (problems.length > 0) throw new Error(`index "${uid}" does not match: ${summary(problems)}`);
}

/**
 * Waits until index `uid` holds exactly what folder `dir` says (ids, content hashes, source
 * files; nothing stale, missing or duplicated), failing with the remaining differences.
 */
export async function waitForConvergence(
  client: MeiliClient,
  uid: string,
  dir: string,
  timeoutMs = 30_000,
): Promise<void> {
  await expect
    .poll(async () => summary(await indexProblems(client, uid, dir)), {
      message: `index "${uid}" converges to ${dir}`,
      timeout: timeoutMs,
      interval: 100,
    })
    .toBe("0 problems: ");
}
