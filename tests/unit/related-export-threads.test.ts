import { describe, expect, test } from "vitest";
import type { ExportChunk, ExportOptions, RelatedExportFormat } from "../../src/related/export-ranking.js";
import { RankingThreads } from "../../src/related/ranking-threads.js";
import { RelatedIndex, type RelatedDocument } from "../../src/related/related-index.js";
import { relatedForDocument } from "../../src/related/retrieve.js";

/**
 * A site of `count` posts with what makes related lists differ: rare and common entities, posts
 * asking the same question (same entities and stack), pins, exclusions, posts kept out of every
 * list, posts with nothing shared (fallbacks), unknown review dates, ids that are encoded; with
 * `oddDate`, one post's date is NaN (which JSON cannot carry to a worker: that export stays in one thread).
 */
function site(count: number, oddDate = false): RelatedDocument[] {
  // A fixed pseudo-random sequence, so the site is the same on every run.
  let seed = 42;
  const next = (n: number) => {
    seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
    return seed % n;
  };
  const documents: RelatedDocument[] = [];
  for (let i = 0; i < count; i += 1) {
    const id = i % 97 === 0 ? `post ${i}.md` : `post-${String(i).padStart(5, "0")}`;
    const family = next(40);
    const entities =
      i % 13 === 0
        ? [] // nothing to share: a fallback
        : i % 5 === 0
          ? [
              // the same question as every other post of its family
              { type: "problem", name: `problem ${family}` },
              { type: "area", name: `area ${family % 4}` },
            ]
          : [
              { type: "problem", name: `problem ${next(300)}` },
              { type: "stack", name: `stack ${next(12)}` },
              { type: "tool", name: `tool ${next(60)}` },
              { type: "area", name: `area ${next(4)}` },
              ...(next(3) === 0 ? [{ type: "problem", name: `rare ${next(2_000)}` }] : []),
            ];
    const reviewed = i % 11 === 0 ? null : i === 7 && oddDate ? Number.NaN : 1_600_000_000 + next(400) * 86_400;
    documents.push({
      id: id.includes(" ") ? `b64_${Buffer.from(id).toString("base64url")}` : id,
      title: `Post ${i}`,
      entities,
      stack: i % 13 === 0 && i % 2 === 0 ? [] : [`stack ${family % 6}`],
      tools: [`tool ${next(60)}`],
      difficulty: ["beginner", "advanced", null][next(3)] ?? null,
      scenario: null,
      code_language: next(2) === 0 ? "python" : null,
      last_reviewed_at: reviewed,
      ...(i % 17 === 0
        ? { related: { pinned: [`post-${String(i + 3).padStart(5, "0")}`, "no-such-post"], excluded: ["post-00001"] } }
        : {}),
      ...(i % 29 === 0 ? { flags: { no_related: true } } : {}),
    });
  }
  return documents;
}

/** The export's text, from its runs. */
function text(chunks: readonly ExportChunk[]): string {
  return chunks.map((chunk) => chunk.text).join("");
}

/** Every run of the export of `documents`, ranked by this thread alone (`workers` 0) or by `workers` worker threads alone. */
async function exported(
  documents: readonly RelatedDocument[],
  workers: number,
  options: ExportOptions,
  format: RelatedExportFormat,
): Promise<ExportChunk[]> {
  const threads = new RankingThreads({ workers, minPosts: 1, mainThreadRanks: false });
  for (const document of documents) threads.add(document);
  const chunks: ExportChunk[] = [];
  for await (const chunk of threads.export(RelatedIndex.of(documents), options, format, true)) chunks.push(chunk);
  return chunks;
}

describe("the export ranked in worker threads", () => {
  const documents = site(3_000);

  test("gives byte for byte the export of one thread, every list the API's answer", async () => {
    const options = { limit: 5 };
    const alone = await exported(documents, 0, options, "ndjson");
    const threaded = await exported(documents, 2, options, "ndjson");
    expect(text(threaded)).toBe(text(alone));
    expect(threaded.map((chunk) => chunk.lists)).toEqual(alone.map((chunk) => chunk.lists));
    expect(threaded.map((chunk) => chunk.counts)).toEqual(alone.map((chunk) => chunk.counts));

    // Each line is what GET /posts/:id/related answers, and the site gives every kind of list.
    const index = RelatedIndex.of(documents);
    const lines = text(threaded).split("\n").slice(0, -1);
    expect(lines).toHaveLength(3_000);
    const sources = new Set<string>();
    for (const line of lines) {
      const answer = JSON.parse(line) as { id: string; related: { source: string }[] };
      expect(line).toBe(JSON.stringify(relatedForDocument(index, answer.id, options)));
      for (const entry of answer.related) sources.add(entry.source);
    }
    expect([...sources].sort()).toEqual(["entities", "fallback", "pinned"]);
    expect(lines[0]?.startsWith('{"id":"post 0.md",')).toBe(true);
  });

  test("keeps the limit, threshold, JSON format and every post's numbers of one thread", async () => {
    const options = { limit: 3, minScore: 0.3 };
    const odd = site(3_000, true);
    const alone = await exported(odd, 0, options, "json");
    const threaded = await exported(odd, 1, options, "json");
    expect(text(threaded)).toBe(text(alone));
    expect(threaded[0]?.text.startsWith('{\n"post 0.md": {"id":"post 0.md",')).toBe(true);
  });

  test("ranks in this thread alone below the threshold", async () => {
    const small = site(40);
    const threads = new RankingThreads({ workers: 1, minPosts: 41 });
    for (const document of small) threads.add(document);
    const chunks = [];
    for await (const chunk of threads.export(RelatedIndex.of(small), { limit: 5 }, "ndjson")) chunks.push(chunk);
    expect(chunks.reduce((posts, chunk) => posts + chunk.counts.posts, 0)).toBe(40);
  });
});
