import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

/** `../shared/records/` beside the project: the input contract's example records. */
export const SHARED_RECORDS_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../../shared/records");

export function readSharedRecord(name: "alphanode-000504.json" | "alphanode-000504.messy.json"): Record<string, unknown> {
  return JSON.parse(readFileSync(path.join(SHARED_RECORDS_DIR, name), "utf8")) as Record<string, unknown>;
}

/** A small valid record; `overrides` replace top-level fields, `meta` merges into meta. */
export function makeRecord(overrides: Record<string, unknown> = {}, meta: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id: "post-1",
    title: "A post",
    ...overrides,
    meta: { revision: { status: "reviewed" }, ...meta },
  };
}

/** A valid post titled `Post <id>`; `extra` replaces top-level fields, `meta` merges into meta. */
export function makePost(id: string, extra: Record<string, unknown> = {}, meta: Record<string, unknown> = {}): Record<string, unknown> {
  return makeRecord({ id, title: `Post ${id}`, ...extra }, meta);
}
