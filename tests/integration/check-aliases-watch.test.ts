import { writeFile } from "node:fs/promises";
import path from "node:path";
import { afterEach, describe, expect, test } from "vitest";
import { FolderWatcher } from "../../indexer/watch.js";
import type { SearchDocument } from "../../src/index.js";
import { makeContentDir } from "../helpers/content-dir.js";
import { makeIndexerContext, readDocuments } from "../helpers/indexer-context.js";
import { makePost } from "../helpers/records.js";
import { freshIndexUid, sharedMeili } from "../helpers/start-meili.js";

const meili = sharedMeili();

const watchers: FolderWatcher[] = [];
afterEach(async () => {
  await Promise.all(watchers.splice(0).map((watcher) => watcher.stop()));
});

const CONFIG = "postindex.config.json";
const aliases = (tools: Record<string, string>) => JSON.stringify({ aliases: { tools, entities: { tool: tools } } });

describe("aliases from postindex.config.json in the index", () => {
  test("watch indexes the values meant, and reapplies a changed config file to every post (a full reconcile)", async () => {
    const uid = freshIndexUid("aliases");
    const context = await makeIndexerContext(meili.client, uid);
    const dir = await makeContentDir({
      [CONFIG]: aliases({ k8s: "kubernetes" }),
      "a.json": JSON.stringify(
        makePost("a", {}, { tools: ["K8s", "helm"], entities: [{ name: "k8s", type: "tool" }] }),
      ),
      "b.ndjson": `${JSON.stringify(makePost("b", {}, { tools: ["kubernetes", "pg"] }))}\n`,
    });
    const watcher = new FolderWatcher(context, dir);
    watchers.push(watcher);
    await watcher.start();
    const tools = async () =>
      [...(await readDocuments(meili.client, uid)).values()]
        .sort((x, y) => x.source_id.localeCompare(y.source_id))
        .map((doc: SearchDocument) => [doc.source_id, doc.tools, doc.entity_keys]);
    expect(await tools()).toEqual([
      ["a", ["kubernetes", "helm"], ["tool:kubernetes"]],
      ["b", ["kubernetes", "pg"], []],
    ]);

    // The aliases are the index's synonyms too: a full-text query for the variant finds the posts.
    expect(await meili.client.index(uid).getSynonyms()).toEqual({ k8s: ["kubernetes"] });
    const { hits } = await meili.client.index(uid).search("k8s");
    expect(hits.map((hit) => hit.source_id).sort()).toEqual(["a", "b"]);

    // The config file is no record: editing it alone re-reads the folder.
    await writeFile(path.join(dir, CONFIG), aliases({ k8s: "kubernetes", pg: "postgresql", helm: "helm charts" }));
    await expect.poll(tools, { message: "the new aliases reach every post", timeout: 10_000 }).toEqual([
      ["a", ["kubernetes", "helm charts"], ["tool:kubernetes"]],
      ["b", ["kubernetes", "postgresql"], []],
    ]);

    await expect
      .poll(() => meili.client.index(uid).getSynonyms(), { timeout: 10_000 })
      .toEqual({ helm: ["helm charts"], k8s: ["kubernetes"], pg: ["postgresql"] });

    // A broken edit keeps the last valid aliases in force for what the watcher reads next.
    await writeFile(path.join(dir, CONFIG), '{"aliases": ');
    await writeFile(path.join(dir, "c.json"), JSON.stringify(makePost("c", {}, { tools: ["pg"] })));
    await expect
      .poll(async () => (await readDocuments(meili.client, uid)).get("c")?.tools, { timeout: 10_000 })
      .toEqual(["postgresql"]);
  });
});
