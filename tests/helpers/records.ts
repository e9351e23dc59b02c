import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

/**
 * `tests/fixtures/records/`: one article as a canonical record and as a messy export of the same
 * article (docs/records.md describes both); they must normalise to the same document.
 */
export const EXAMPLE_RECORDS_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../fixtures/records");

export function readExampleRecord(
  name: "alphanode-000504.json" | "alphanode-000504.messy.json",
): Record<string, unknown> {
  return JSON.parse(readFileSync(path.join(EXAMPLE_RECORDS_DIR, name), "utf8")) as Record<string, unknown>;
}

/** A small valid record; `overrides` replace top-level fields, `meta` merges into meta. */
export function makeRecord(
  overrides: Record<string, unknown> = {},
  meta: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    id: "post-1",
    title: "A post",
    ...overrides,
    meta: { revision: { status: "reviewed" }, ...meta },
  };
}

/** A valid post titled `Post <id>`; `extra` replaces top-level fields, `meta` merges into meta. */
export function makePost(
  id: string,
  extra: Record<string, unknown> = {},
  meta: Record<string, unknown> = {},
): Record<string, unknown> {
  return makeRecord({ id, title: `Post ${id}`, ...extra }, meta);
}
