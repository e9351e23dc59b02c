import { describe, expect, test } from "vitest";
import { INDEX_SETTINGS } from "../../src/meili/settings.js";
import { diffSettings } from "../../src/meili/settings-diff.js";

describe("diffSettings", () => {
  test("settings read back with extra keys and sorted set-like lists are equal", () => {
    const actual = {
      ...structuredClone(INDEX_SETTINGS),
      sortableAttributes: [...INDEX_SETTINGS.sortableAttributes].sort(),
      typoTolerance: {
        enabled: true,
        disableOnAttributes: [...INDEX_SETTINGS.typoTolerance.disableOnAttributes].sort(),
        minWordSizeForTypos: { oneTypo: 5, twoTypos: 9 },
        disableOnWords: [],
      },
      stopWords: [],
    };
    expect(diffSettings(INDEX_SETTINGS, actual)).toEqual([]);
  });

  test("a reordered searchable attribute list differs: order is ranking", () => {
    const actual = { searchableAttributes: [...INDEX_SETTINGS.searchableAttributes].reverse() };
    expect(diffSettings({ searchableAttributes: INDEX_SETTINGS.searchableAttributes }, actual)).toEqual([
      expect.stringMatching(/^searchableAttributes: expected \["title",/),
    ]);
  });

  test("a missing or changed nested value is named by its path", () => {
    const expected = { faceting: { maxValuesPerFacet: 1000, sortFacetValuesBy: { "*": "count" } } };
    expect(
      diffSettings(expected, { faceting: { maxValuesPerFacet: 100, sortFacetValuesBy: { "*": "alpha" } } }),
    ).toEqual([
      "faceting.maxValuesPerFacet: expected 1000, got 100",
      'faceting.sortFacetValuesBy.*: expected "count", got "alpha"',
    ]);
    expect(diffSettings(expected, {})).toEqual([
      'faceting: expected {"maxValuesPerFacet":1000,"sortFacetValuesBy":{"*":"count"}}, got undefined',
    ]);
  });

  test("object items in lists compare regardless of key order", () => {
    const expected = { filterableAttributes: [{ attributePatterns: ["a"], features: { facetSearch: false } }] };
    const actual = { filterableAttributes: [{ features: { facetSearch: false }, attributePatterns: ["a"] }] };
    expect(diffSettings(expected, actual)).toEqual([]);
    expect(diffSettings(expected, { filterableAttributes: ["a"] })).toHaveLength(1);
  });
});
