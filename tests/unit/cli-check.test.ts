import { readFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, test } from "vitest";
import { makeContentDir, ndjson } from "../helpers/content-dir.js";
import { makeRecord, EXAMPLE_RECORDS_DIR } from "../helpers/records.js";
import { runCli } from "../helpers/run-cli.js";

describe("postindex check", () => {
  test("the example records (canonical and messy copy of one article): one indexed, the messy copy reported as a duplicate, exit 0", async () => {
    const result = await runCli(["check", EXAMPLE_RECORDS_DIR]);
    expect(result.status).toBe(0);
    expect(result.stdout).toContain("1 indexed, 0 excluded, 0 rejected, 1 duplicate");
    expect(result.stdout).toContain("alphanode-000504.messy.json  id alphanode-000504: also in alphanode-000504.json");
  });

  test("--json prints the contract's report and exits 1 when something was rejected", async () => {
    const dir = await makeContentDir({ "posts.ndjson": ndjson(makeRecord({ id: "ok" }), { id: "bad" }) });
    const result = await runCli(["check", dir, "--json"]);
    expect(result.status).toBe(1);
    expect(JSON.parse(result.stdout)).toEqual({
      indexed: [{ id: "ok", file: "posts.ndjson" }],
      excluded: [],
      rejected: [{ file: "posts.ndjson", line: 2, id: "bad", field: "title", message: "title is missing" }],
      duplicates: [],
      warnings: [],
      ignored: [],
    });
  });

  test("--report FILE writes the report and the summary names each rejection", async () => {
    const dir = await makeContentDir({ "a.json": JSON.stringify({ id: "x", title: "t" }) });
    const reportFile = path.join(dir, ".report.json");
    const result = await runCli(["check", dir, "--report", reportFile]);
    expect(result.status).toBe(1);
    expect(result.stdout).toContain("a.json  id x  field meta.revision.status: revision status is missing");
    const report = JSON.parse(await readFile(reportFile, "utf8"));
    expect(report.rejected).toHaveLength(1);
  });

  test.each([[["check"]], [["check", "/no/such/folder"]], [["check", "a", "b"]], [["frobnicate"]], [[]]])(
    "usage errors exit 2: %j",
    async (args) => {
      expect((await runCli(args)).status).toBe(2);
    },
  );
});
