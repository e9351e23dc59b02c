import { describe, expect, test } from "vitest";
import { readIndexState } from "../../indexer/index-state.js";
import { freshIndexUid, sharedMeili } from "../helpers/start-meili.js";

const meili = sharedMeili();

/** An index holding `count` documents with the fields the state is read from. */
async function indexOf(count: number): Promise<{ uid: string; expected: Map<string, { file: string; hash: string }> }> {
  const uid = freshIndexUid("state");
  const documents = Array.from({ length: count }, (_, i) => ({
    id: `post-${i}`,
    source_file: `posts/${i % 4}.ndjson`,
    content_hash: `hash-${i}`,
    title: `Post ${i}`,
  }));
  await meili.client.ensureIndex(uid, { timeoutMs: 30_000 });
  await meili.client.waitForTask(meili.client.index<(typeof documents)[number]>(uid).addDocuments(documents), {
    timeoutMs: 30_000,
  });
  const expected = new Map(documents.map((d) => [d.id, { file: d.source_file, hash: d.content_hash }]));
  return { uid, expected };
}

describe("reading what the index holds", () => {
  test("every document's source file and hash, over pages read several at a time", async () => {
    const { uid, expected } = await indexOf(47);
    // 10 pages of 5: more than are read at once, the last one short.
    expect(await readIndexState(meili.client, uid, { pageSize: 5 })).toEqual(expected);
    // 47 in pages of 47: one page, full, then an empty one.
    expect(await readIndexState(meili.client, uid, { pageSize: 47 })).toEqual(expected);
    expect((await readIndexState(meili.client, uid)).size).toBe(47);
  });

  test("an index that does not exist holds nothing", async () => {
    expect((await readIndexState(meili.client, freshIndexUid("state_missing"))).size).toBe(0);
  });
});
