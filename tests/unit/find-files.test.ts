import { symlink } from "node:fs/promises";
import path from "node:path";
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { findRecordFiles, type ListingOptions } from "../../src/records/find-files.js";
import { makeContentDir, writeFileTree } from "../helpers/content-dir.js";
import { noReadsFromDisk, readsFromDiskEverySample } from "../helpers/disk-reads.js";
import { SEED } from "../helpers/hostile.js";

/** Every folder read counts as one from the disk: the listing goes concurrent after the first few. */
const asIfCold = (): ListingOptions => ({ diskReads: readsFromDiskEverySample() });
/** No folder read ever does: the listing stays one folder after another. */
const asIfCached: ListingOptions = { diskReads: noReadsFromDisk };

describe("listing a content folder whose reads wait for the disk", () => {
  test("the folders read concurrently give the same sorted listing, skipped entries and reasons included", async () => {
    const files: Record<string, string> = { "postindex.config.json": "{}", "top.json": "{}" };
    for (let site = 0; site < 6; site += 1) {
      for (let year = 0; year < 5; year += 1) {
        const folder = `site-${site}/20${10 + year}`;
        files[`${folder}/post-${site}-${year}.json`] = "{}";
        files[`${folder}/topic/export.ndjson`] = "{}\n";
        files[`${folder}/topic/notes.txt`] = "";
        files[`${folder}/.draft.json`] = "{}";
        files[`${folder}/.git/config`] = "";
        files[`${folder}/archive.json/old.json`] = "{}";
      }
    }
    const dir = await makeContentDir(files);
    await symlink(path.join(dir, "top.json"), path.join(dir, "site-0", "link.json"));

    const cold = await findRecordFiles(dir, asIfCold());
    expect(cold).toEqual(await findRecordFiles(dir, asIfCached));
    // What the listing is expected to hold, from the tree above rather than from the code.
    expect(cold.files).toHaveLength(1 + 6 * 5 * 2);
    expect(cold.files.slice(0, 3)).toEqual([
      "site-0/2010/post-0-0.json",
      "site-0/2010/topic/export.ndjson",
      "site-0/2011/post-0-1.json",
    ]);
    expect(cold.files.at(-1)).toBe("top.json");
    expect(cold.ignored.filter((entry) => entry.reason === "hidden folder")).toHaveLength(30);
    expect(cold.ignored).toContainEqual({ file: "site-0/link.json", reason: "symbolic link (not followed)" });
    expect(cold.ignored).toContainEqual({ file: "site-5/2014/archive.json", reason: "a folder, not a record file" });
  });

  test("for any tree, concurrent and one-by-one listings agree", async () => {
    const segment = fc.constantFrom("a", "b", "c.json", "d.ndjson", ".e", "f.txt", "g.jsonl", "é");
    const root = await makeContentDir({});
    let run = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.array(segment, { minLength: 1, maxLength: 5 }), { minLength: 1, maxLength: 40 }),
        async (paths) => {
          const dir = path.join(root, `tree-${(run += 1)}`);
          await writeFileTree(dir, paths);
          expect(await findRecordFiles(dir, asIfCold())).toEqual(await findRecordFiles(dir, asIfCached));
        },
      ),
      { seed: SEED, numRuns: 40 },
    );
  });
});
