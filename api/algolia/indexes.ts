import { AlgoliaError } from "./errors.js";

/**
 * The index names an Algolia client may use, and what each one is. The public name is the live
 * index's uid (`articles`); sort orders are offered the way Algolia offers them, as replica
 * indexes: `articles_recent` (freshest review first) and `articles_popular` (most viewed first)
 * search the same index with a sort. Any other name (`articles_next` included) is a 404.
 */

/** The sort orders of `GET /search`, by replica suffix. */
const REPLICAS = { recent: "recent", popular: "popular" } as const;
export type AlgoliaSort = "relevance" | (typeof REPLICAS)[keyof typeof REPLICAS];

/** What an index name in a request stands for. */
export interface AlgoliaIndex {
  /** The name as the client sent it (answers echo it in `index`). */
  readonly name: string;
  readonly sort: AlgoliaSort;
}

/**
 * `name` → the index it stands for.
 * @throws AlgoliaError 404 "Index does not exist" (Algolia's wording) for any other name
 */
export function resolveIndex(indexUid: string, name: unknown): AlgoliaIndex {
  if (typeof name !== "string" || name === "") throw new AlgoliaError(400, "indexName is required");
  if (name === indexUid) return { name, sort: "relevance" };
  const prefix = `${indexUid}_`;
  if (name.startsWith(prefix)) {
    const suffix = name.slice(prefix.length);
    if (Object.hasOwn(REPLICAS, suffix)) return { name, sort: REPLICAS[suffix as keyof typeof REPLICAS] };
  }
  throw new AlgoliaError(404, "Index does not exist");
}
