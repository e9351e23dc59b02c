import { FACETS } from "../document-types.js";
import { PostindexError } from "../errors.js";
import type { MeiliClient, Settings, Task } from "./client.js";
import { toMeiliError } from "./errors.js";
import { diffSettings } from "./settings-diff.js";

/** Filter on exact values only (`=`, `!=`, `IN`), no range comparisons, no facet-search index. */
const EQUALITY_ONLY = { facetSearch: false, filter: { equality: true, comparison: false } } as const;

/** Exact values and ranges (`>=`, `<`), no facet-search index: for the `indexed_at` stamp. */
const EQUALITY_AND_RANGES = { facetSearch: false, filter: { equality: true, comparison: true } } as const;

/** The facets: exact-value filters, plus a facet-search index for autocomplete on their values. */
const FACET_FEATURES = { facetSearch: true, filter: { equality: true, comparison: false } } as const;

/**
 * The settings of every postindex index, for {@link SearchDocument}s. Only what each attribute needs:
 *
 * - `searchableAttributes`: in ranking order — the words of the title beat the topic and summary,
 *   which beat the intro and the body; facet words (stack, tools) and entity names come next so a
 *   search for "fastapi" finds articles that only tag it; the AI brief and outline last.
 *   Ids, hashes, paths and numbers are not searchable.
 * - `filterableAttributes`: equality only. The facets (for `facets` counts and facet filters),
 *   `entity_keys` (related posts), `id` (fetch one / leave one out), `source_file` (sync removes a
 *   file's documents), `site`. Facet search (`facetSearch: true`) only on the facets, for the API's
 *   autocomplete on their values (`GET /facets/:facet?q=py`); never on ids, keys or paths.
 *   `indexed_at` takes ranges too: the API's related-posts index asks for what was stamped since
 *   its last look (`indexed_at >= cursor`) and counts stamp ranges to find deletions.
 * - `sortableAttributes`: what `sort=recent` / `popular` and tie-breaks use; `indexed_at`, so
 *   changes are read oldest first.
 * - `faceting`: up to 1000 values per facet, most frequent first, so the counts are complete.
 * - `pagination.maxTotalHits`: 100 000 so `total` is exact, not capped at 1000.
 * - `typoTolerance`: on; never on identifiers (listed in case one is ever made searchable).
 * - `rankingRules`: Meilisearch's defaults, stated so verification notices a drift.
 *
 * @see https://www.meilisearch.com/docs/reference/api/settings
 * @see https://www.meilisearch.com/docs/learn/relevancy/attribute_ranking_order
 * @see https://www.meilisearch.com/docs/learn/filtering_and_sorting/filter_search_results
 */
export const INDEX_SETTINGS = {
  searchableAttributes: [
    "title",
    "topic",
    "summary",
    "intro",
    "body",
    "stack",
    "tools",
    "entities.name",
    "ai_brief",
    "ai_outline",
    "checklist",
  ],
  filterableAttributes: [
    { attributePatterns: [...FACETS], features: FACET_FEATURES },
    { attributePatterns: ["entity_keys", "id", "source_file", "site"], features: EQUALITY_ONLY },
    // The numbers Algolia clients filter with `numericFilters` (issue 13: api/algolia/filters.ts).
    {
      attributePatterns: ["indexed_at", "reading_time", "view_count", "last_reviewed_at"],
      features: EQUALITY_AND_RANGES,
    },
  ],
  sortableAttributes: ["last_reviewed_at", "view_count", "reading_time", "score.quality", "indexed_at"],
  displayedAttributes: ["*"],
  rankingRules: ["words", "typo", "proximity", "attribute", "sort", "exactness"],
  faceting: { maxValuesPerFacet: 1000, sortFacetValuesBy: { "*": "count" } },
  pagination: { maxTotalHits: 100_000 },
  typoTolerance: { enabled: true, disableOnAttributes: ["id", "source_file", "entity_keys", "hash"] },
  facetSearch: true,
} as const satisfies Settings;

/** Options for {@link applySettings}. */
export interface ApplySettingsOptions {
  /**
   * How long the settings task may take (re-indexing an existing index can take a while).
   * @default 60000
   */
  readonly timeoutMs?: number;
}

/**
 * Sends {@link INDEX_SETTINGS} to index `uid` (created if missing) and waits for the task.
 * @throws MeiliTaskError when Meilisearch rejects them.
 * @see https://www.meilisearch.com/docs/reference/api/settings#update-settings
 */
export async function applySettings(
  client: MeiliClient,
  uid: string,
  options: ApplySettingsOptions = {},
): Promise<Task> {
  const settings = structuredClone(INDEX_SETTINGS) as Settings;
  return client.waitForTask(client.index(uid).updateSettings(settings), { timeoutMs: options.timeoutMs ?? 60_000 });
}

/**
 * Reads index `uid`'s settings back and compares them with {@link INDEX_SETTINGS}
 * (only the keys postindex sets; order matters only where Meilisearch gives it meaning).
 * @throws PostindexError `meili_request_failed` naming every setting that differs.
 * @see https://www.meilisearch.com/docs/reference/api/settings#get-settings
 */
export async function verifySettings(client: MeiliClient, uid: string): Promise<void> {
  let actual: Settings;
  try {
    actual = await client.index(uid).getSettings();
  } catch (error) {
    throw toMeiliError(error, `reading the settings of index "${uid}"`);
  }
  const differences = diffSettings(INDEX_SETTINGS, actual);
  if (differences.length > 0) {
    throw new PostindexError(
      "meili_request_failed",
      `index "${uid}" does not have the expected settings: ${differences.join("; ")}`,
    );
  }
}
