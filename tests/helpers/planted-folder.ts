import { makePost } from "./records.js";

export const POSTS = 220;
export const postId = (n: number): string => `p-${String(n).padStart(3, "0")}`;

/**
 * A folder of 225 files in path order: `aaa-first.json`, `exports/a.ndjson`, `exports/array.json`,
 * `posts/broken.json`, `posts/p-000.json` … `posts/p-219.json`, `zzz/late.json`. Planted: ids
 * held by two files (the path that sorts first wins, also against a later file of another kind),
 * a duplicate inside one array file, a file that does not parse, a broken NDJSON line, a record
 * without a title, two excluded posts, pins of an unknown and of an excluded post, a facet value
 * spelled two ways and one used once (for the lints).
 */
export function plantedFolder(): Record<string, string> {
  const files: Record<string, string> = {
    "aaa-first.json": JSON.stringify(makePost("dup-1", {}, { stack: ["JavaScript"] })),
    "exports/a.ndjson": [
      JSON.stringify(makePost("p-100", {}, { stack: ["javascript"] })),
      JSON.stringify(makePost("x-1", {}, { stack: ["Java Script"] })),
      '{"id": "x-2", "title": ',
      JSON.stringify({ id: "x-3", meta: { revision: { status: "reviewed" } } }),
    ].join("\r\n"),
    "exports/array.json": JSON.stringify([makePost("y-1"), makePost("y-2"), makePost("y-1"), makePost("y-3")]),
    "posts/broken.json": '{ "id": "b-1", ',
    "zzz/late.json": JSON.stringify(makePost("dup-1")),
  };
  for (let n = 0; n < POSTS; n += 1) {
    const meta: Record<string, unknown> = { stack: [n % 2 === 0 ? "python" : "rust"], tools: ["git"] };
    if (n === 7) meta["revision"] = { status: "draft" };
    if (n === 13) meta["flags"] = { noindex: true };
    if (n === 21) meta["related"] = { pinned: ["p-022", "ghost", "p-007"] };
    if (n === 42) meta["tools"] = ["gti"];
    // Scenarios written only in the outline, spread over the folder so that both threads read some.
    if (n % 20 === 5) meta["ai_outline"] = { context: `Outline scenario ${n}` };
    files[`posts/${postId(n)}.json`] = JSON.stringify(makePost(postId(n), {}, meta));
  }
  return files;
}

/** The posts/ ids indexed, in path order: all but the excluded p-007 and p-013 and p-100 (a duplicate there). */
export const indexedPosts = Array.from({ length: POSTS }, (_, n) => n)
  .filter((n) => n !== 7 && n !== 13 && n !== 100)
  .map((n) => ({ id: postId(n), file: `posts/${postId(n)}.json` }));
