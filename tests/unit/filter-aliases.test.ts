import { rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, test } from "vitest";
import type { AliasTable } from "../../src/check/content-config.js";
import { facetQueryMeant, filtersMeant, folderAliases } from "../../src/check/filter-aliases.js";
import { makeTempDir } from "../helpers/tmp-dir.js";

const TOOLS: AliasTable = {
  facets: new Map([
    [
      "tools",
      new Map([
        ["k8s", "kubernetes"],
        ["pg", "postgresql"],
      ]),
    ],
  ]),
  entities: new Map(),
  empty: false,
};
const NONE: AliasTable = { facets: new Map(), entities: new Map(), empty: true };

describe("facet filters with the folder's aliases", () => {
  test("alias values become the values meant, once each; other facets and values are left alone", () => {
    expect(filtersMeant({ tools: ["k8s", "docker", "kubernetes"], stack: ["k8s"] }, TOOLS)).toEqual({
      tools: ["kubernetes", "docker"],
      stack: ["k8s"],
    });
    expect(facetQueryMeant("tools", "pg", TOOLS)).toBe("postgresql");
    expect(facetQueryMeant("stack", "pg", TOOLS)).toBe("pg");
    expect(facetQueryMeant("tools", "p", TOOLS)).toBe("p");
  });

  test("the same object when nothing is aliased (the search path allocates nothing)", () => {
    const filters = { tools: ["docker"], stack: [] };
    expect(filtersMeant(filters, TOOLS)).toBe(filters);
    expect(filtersMeant(filters, NONE)).toBe(filters);
  });
});

describe("folderAliases: the API's view of postindex.config.json", () => {
  const write = (dir: string, text: string) => writeFile(path.join(dir, "postindex.config.json"), text);
  const k8sMeans = (aliases: AliasTable) => aliases.facets.get("tools")?.get("k8s");

  test("read again at most once a second; a broken file keeps the last valid aliases; a removed one none", async () => {
    const dir = await makeTempDir("folder-aliases");
    await write(dir, JSON.stringify({ aliases: { tools: { k8s: "kubernetes" } } }));
    let now = 0;
    const aliases = folderAliases(dir, () => now);
    expect(k8sMeans(aliases())).toBe("kubernetes");

    await write(dir, JSON.stringify({ aliases: { tools: { k8s: "k3s" } } }));
    now = 999;
    expect(k8sMeans(aliases()), "not looked at again within the second").toBe("kubernetes");
    now = 1_000;
    expect(k8sMeans(aliases())).toBe("k3s");

    await write(dir, "{ not json");
    now = 2_000;
    expect(k8sMeans(aliases()), "a broken file keeps the last valid aliases").toBe("k3s");

    await rm(path.join(dir, "postindex.config.json"));
    now = 3_000;
    expect(aliases().empty).toBe(true);
  });

  test("no folder: no aliases", () => {
    expect(folderAliases(undefined)().empty).toBe(true);
  });
});
