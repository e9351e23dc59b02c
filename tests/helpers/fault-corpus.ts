import { ndjson } from "./content-dir.js";
import { makePost } from "./records.js";

const WORDS = "cache deploy queue index search shard replica token latency budget rollout schema migration".split(" ");

/**
 * A valid post with a few paragraphs and entities, so that indexing it costs Meilisearch real work;
 * `version` changes its title and text (and so its content hash), nothing else.
 */
export function bulkyPost(id: string, version = 1): Record<string, unknown> {
  const seed = Array.from(id).reduce((sum, char) => sum + char.charCodeAt(0), version);
  const words = (count: number, offset: number) =>
    Array.from({ length: count }, (_, i) => WORDS[(seed + offset + i * 7) % WORDS.length]).join(" ");
  return makePost(
    id,
    {
      title: `Post ${id} v${version} ${words(4, 1)}`,
      sections: [{ heading: words(3, 2), paragraphs: [words(60, 3), words(60, 4), `revision ${version}`] }],
    },
    {
      stack: [WORDS[seed % WORDS.length]],
      entities: [
        { name: words(1, 5), type: "tool" },
        { name: words(2, 6), type: "problem" },
      ],
    },
  );
}

/** `count` bulky posts `<prefix>-0 …` in NDJSON files of `perFile` records each: relative path → text. */
export function ndjsonFiles(prefix: string, count: number, perFile: number, version = 1): Record<string, string> {
  const files: Record<string, string> = {};
  for (let start = 0; start < count; start += perFile) {
    const ids = Array.from({ length: Math.min(perFile, count - start) }, (_, i) => `${prefix}-${start + i}`);
    files[`${prefix}/part-${String(start / perFile).padStart(3, "0")}.ndjson`] = ndjson(
      ...ids.map((id) => bulkyPost(id, version)),
    );
  }
  return files;
}

/** One bulky post per JSON file, `<folder>/<prefix>-<i>.json`: relative path → text. */
export function jsonFiles(
  folder: string,
  prefix: string,
  count: number,
  version = 1,
  from = 0,
): Record<string, string> {
  const files: Record<string, string> = {};
  for (let i = from; i < from + count; i += 1)
    files[`${folder}/${prefix}-${i}.json`] = JSON.stringify(bulkyPost(`${prefix}-${i}`, version));
  return files;
}
