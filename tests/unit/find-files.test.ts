import { symlink } from "node:fs/promises";
import path from "node:path";
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import {
  findRecordFiles,
  isRecordFilePath,
  RecordFileWalk,
  type ListingOptions,
} from "../../src/records/find-files.js";
import { makeContentDir, writeFileTree } from "../helpers/content-dir.js";
import { noReadsFromDisk, readsFromDiskEverySample } from "../helpers/disk-reads.js";
import { SEED } from "../helpers/hostile.js";

/** Every folder read counts as one from the disk: the listing goes concurrent after the first few. */
const asIfCold = (): ListingOptions => ({ diskReads: readsFromDiskEverySample() });
/** No folder read ever does: the listing stays one folder after another. */
const asIfCached: ListingOptions = { diskReads: noReadsFromDisk };

// Folder and file names that sort before and after `/` ("a b", "a-b", "a.json" against "a/"), so
// that a folder's files and its subfolders' files interleave in path order; a few skipped ones.
const folderName = fc.constantFrom("a", "a b", "a-b", "b", "é", ".e", "x.json");
const fileName = fc.constantFrom("a.json", "a-b.json", "a b.ndjson", "b.json", "Z.jsonl", "é.json", "f.txt", ".g.json");
const filePath = fc
  .tuple(fc.array(folderName, { maxLength: 3 }), fileName)
  .map(([folders, file]) => [...folders, file]);

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
    const root = await makeContentDir({});
    let run = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(filePath, { minLength: 1, maxLength: 40 }), async (paths) => {
        const dir = path.join(root, `tree-${(run += 1)}`);
        await writeFileTree(dir, paths);
        expect(await findRecordFiles(dir, asIfCold())).toEqual(await findRecordFiles(dir, asIfCached));
      }),
      { seed: SEED, numRuns: 40 },
    );
  });
});

/** Walks `dir` one file at a time, checking at every step that what is listed so far comes first in `expected`. */
async function walkStepByStep(dir: string, options: ListingOptions, expected: readonly string[]): Promise<string[]> {
  const walk = new RecordFileWalk(dir, options);
  for (let index = 0; await walk.reach(index); index += 1) {
    expect(walk.files).toEqual(expected.slice(0, walk.files.length));
  }
  expect(walk.done).toBe(true);
  return walk.files;
}

describe("listing a content folder as its files are read (RecordFileWalk)", () => {
  test("for any tree, the files come one by one in the order of their whole paths, cached or read from the disk", async () => {
    const root = await makeContentDir({});
    let run = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(filePath, { minLength: 1, maxLength: 40 }), async (paths) => {
        const dir = path.join(root, `tree-${(run += 1)}`);
        const written = await writeFileTree(dir, paths);
        // Plain code-unit order of the whole relative paths, as duplicates are resolved.
        const expected = [...written].filter((file) => isRecordFilePath(file)).sort();
        expect(await walkStepByStep(dir, asIfCached, expected)).toEqual(expected);
        expect(await walkStepByStep(dir, asIfCold(), expected)).toEqual(expected);
        expect((await findRecordFiles(dir, asIfCached)).files).toEqual(expected);
      }),
      { seed: SEED, numRuns: 40 },
    );
  });

  test("the first files are known before the last folders are read", async () => {
    const files: Record<string, string> = {};
    for (let folder = 0; folder < 30; folder += 1) files[`f${String(folder).padStart(2, "0")}/post.json`] = "{}";
    const dir = await makeContentDir(files);
    const walk = new RecordFileWalk(dir, asIfCached);
    expect(await walk.reach(0)).toBe(true);
    expect(walk.files).toEqual(["f00/post.json"]);
    expect(walk.done).toBe(false);
    expect(() => walk.listing()).toThrow(/not ended/);
    await walk.complete();
    expect(walk.files).toHaveLength(30);
    expect(walk.files.at(-1)).toBe("f29/post.json");
  });

  test("an empty folder lists nothing and is done at once", async () => {
    const walk = new RecordFileWalk(await makeContentDir({}), asIfCached);
    expect(await walk.reach(0)).toBe(false);
    expect(walk.listing()).toEqual({ files: [], ignored: [] });
  });
});
