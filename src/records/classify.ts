import type { ArticleRecord } from "./schema.js";

/** Why a valid record is kept out of the index. */
export type ExclusionReason = "unreviewed" | "noindex";

export type Classification = { status: "indexed" } | { status: "excluded"; reason: ExclusionReason };

/**
 * Decides whether a valid record is indexed. `unreviewed`: a revision status other than
 * `reviewed` (any case), or `needs_human_review`; `noindex`: `flags.noindex` (also spelled
 * `no_index`, `do_not_index`). Unreviewed is reported first when both hold.
 */
export function classifyRecord(record: ArticleRecord): Classification {
  const flags = record.meta.flags ?? {};
  if (record.meta.revision.status.toLowerCase() !== "reviewed" || flags.needs_human_review === true) {
    return { status: "excluded", reason: "unreviewed" };
  }
  if (flags.noindex === true) return { status: "excluded", reason: "noindex" };
  return { status: "indexed" };
}
