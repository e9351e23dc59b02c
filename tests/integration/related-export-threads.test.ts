import { readFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, test } from "vitest";
import { makeContentDir, ndjson } from "../helpers/content-dir.js";
import { makePost } from "../helpers/records.js";
import { runCli } from "../helpers/run-cli.js";
import { freshIndexUid, sharedMeili } from "../helpers/start-meili.js";
import { makeTempDir } from "../helpers/tmp-dir.js";

const meili = sharedMeili();

/** 6,000 posts (past the 5,000 from which the export ranks in worker threads), in one NDJSON file. */
function records(): string {
  const posts = [];
  for (let i = 0; i < 6_000; i += 1) {
    const family = i % 37;
    posts.push(
      makePost(
        `post-${String(i).padStart(4, "0")}`,
        {},
        {
          stack: [`stack ${family % 5}`],
          entities: [
            { name: `problem ${(i * 7) % 211}`, type: "problem" },
            { name: `tool ${family}`, type: "tool" },
            { name: `area ${i % 3}`, type: "area" },
          ],
          revision: {
            status: "reviewed",
            last_reviewed: `2024-0${1 + (i % 9)}-${String(1 + (i % 28)).padStart(2, "0")}`,
          },
          ...(i % 500 === 0 ? { related: { pinned: [`post-${String(i + 1).padStart(4, "0")}`] } } : {}),
        },
      ),
    );
  }
  return ndjson(...posts);
}

/** `postindex related ARGS --out FILE --json` with `workers` ranking workers: the export's text and report. */
async function exported(args: string[], workers: string, env: NodeJS.ProcessEnv = {}) {
  const file = path.join(await makeTempDir("related-threads"), "related.ndjson");
  const result = await runCli(["related", ...args, "--out", file, "--json"], {
    ...env,
    POSTINDEX_RELATED_WORKERS: workers,
  });
  expect(result.stderr).toBe("");
  expect(result.status).toBe(0);
  return { text: await readFile(file, "utf8"), report: JSON.parse(result.stdout) as { export: { posts: number } } };
}

describe("postindex related on 6,000 posts, ranked in worker threads", () => {
  test("from the folder, writes the very bytes of one thread", async () => {
    const dir = await makeContentDir({ "posts.ndjson": records() });
    const alone = await exported([dir], "0");
    const threaded = await exported([dir], "2");
    expect(threaded.report.export.posts).toBe(6_000);
    expect(threaded.text).toBe(alone.text);
    const first = JSON.parse(threaded.text.slice(0, threaded.text.indexOf("\n"))) as {
      id: string;
      related: { id: string; source: string }[];
    };
    // post-0000 pins post-0001 (both indexed): it comes first, marked as pinned.
    expect(first.id).toBe("post-0000");
    expect(first.related[0]).toMatchObject({ id: "post-0001", source: "pinned" });
    expect(first.related).toHaveLength(5);
  });

  test("from the live index, writes the very bytes of one thread, and of the folder", async () => {
    const dir = await makeContentDir({ "posts.ndjson": records() });
    const env = {
      MEILI_URL: meili.url,
      MEILI_MASTER_KEY: meili.masterKey,
      MEILI_INDEX: freshIndexUid("related-threads"),
      POSTINDEX_DATA_DIR: await makeTempDir("related-threads-data"),
      LOG_LEVEL: "warn",
    };
    const reindex = await runCli(["reindex", dir], env);
    expect(reindex.status).toBe(0);
    const alone = await exported([], "0", env);
    const threaded = await exported([], "1", env);
    expect(threaded.report.export.posts).toBe(6_000);
    expect(threaded.text).toBe(alone.text);
    expect(threaded.text).toBe((await exported([dir], "1")).text);
  });
});
