import { searchPostsJson, type MeiliClient, type SearchQuery } from "../../src/index.js";

/**
 * "Search that never dead-ends": the looser text a search that found nothing is retried with once.
 *
 * Meilisearch already makes words optional from the end (`matchingStrategy: "last"`), so what
 * leaves a query like `cach invalidaton` empty is a short word that gets no typo (a 4-letter word
 * needs an exact match) and is not the last word (only the last is matched as a prefix). The
 * retry puts the words longest first, so the shortest one, the likeliest to be an unfinished or
 * mistyped word, is matched as a prefix, and the others drop out from the end as before. Answers
 * found this way say so (`relaxed: true`).
 * @see https://www.meilisearch.com/docs/reference/api/search#matching-strategy
 */

/** The retry text for `query`, or undefined when there is none (one word, or already in that order). */
export function relaxedQueryText(query: string): string | undefined {
  const words = query
    .trim()
    .split(/\s+/u)
    .filter((word) => word !== "");
  if (words.length < 2) return undefined;
  const relaxed = [...words].sort((a, b) => b.length - a.length).join(" ");
  return relaxed === words.join(" ") ? undefined : relaxed;
}

/**
 * `GET /search`'s answer (`searchPostsJson`), retried once with {@link relaxedQueryText} when it
 * found nothing at all; an answer found by the retry starts with `"relaxed": true`. One search
 * more, and only for a search with no hit on any page.
 */
export async function searchPostsJsonRelaxed(
  client: MeiliClient,
  indexUid: string,
  query: SearchQuery,
  timeoutMs?: number,
): Promise<Buffer> {
  const answer = await searchPostsJson(client, indexUid, query, timeoutMs);
  if (!answer.subarray(0, EMPTY_START.length).equals(EMPTY_START)) return answer;
  const q = relaxedQueryText(query.q);
  if (q === undefined || (JSON.parse(answer.toString("utf8")) as { total?: unknown }).total !== 0) return answer;
  const retried = await searchPostsJson(client, indexUid, { ...query, q }, timeoutMs);
  if (retried.subarray(0, EMPTY_START.length).equals(EMPTY_START)) return answer;
  return Buffer.concat([RELAXED_START, retried.subarray(1)]);
}

/** How an answer without hits starts (`SearchAnswer` is serialised `hits` first). */
const EMPTY_START = Buffer.from('{"hits":[]', "utf8");
const RELAXED_START = Buffer.from('{"relaxed":true,', "utf8");
