import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, test } from "vitest";
import { DEFAULT_API_OPTIONS, resolveApiOptions } from "../../api/options.js";
import { readConfig } from "../../cli/config.js";
import { cacheControl } from "../../api/respond.js";
import { DEFAULT_TYPE_WEIGHTS } from "../../src/index.js";

const EXAMPLE_CONTENT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../content");

describe("API options", () => {
  test("unset variables keep the defaults; overrides merge over them in one place", () => {
    // The API reads the aliases of the folder `start` indexes: the shipped examples unless CONTENT_DIR.
    expect(resolveApiOptions(readConfig({}).api)).toEqual({ ...DEFAULT_API_OPTIONS, contentDir: EXAMPLE_CONTENT });
    expect(resolveApiOptions({ cacheMaxAgeSeconds: 0, corsOrigins: undefined }).cacheMaxAgeSeconds).toBe(0);
    expect(Object.isFrozen(resolveApiOptions())).toBe(true);
  });

  test("the environment sets cache age, CORS origins, trust proxy, timeout, type weights and the Algolia key", () => {
    const options = readConfig({
      POSTINDEX_CACHE_MAX_AGE: "120",
      POSTINDEX_CORS_ORIGINS: "https://a.example, https://b.example,",
      POSTINDEX_TRUST_PROXY: "2",
      POSTINDEX_REQUEST_TIMEOUT_MS: "1500",
      POSTINDEX_TYPE_WEIGHTS: "area=0.2, topic=2",
      POSTINDEX_ALGOLIA_API_KEY: " search-only-1 ",
      POSTINDEX_RELATED_MIN_SCORE: "0.25",
      CONTENT_DIR: "/srv/site/content",
    }).api;
    expect(options).toEqual({
      cacheMaxAgeSeconds: 120,
      corsOrigins: ["https://a.example", "https://b.example"],
      trustProxy: 2,
      requestTimeoutMs: 1500,
      typeWeights: { ...DEFAULT_TYPE_WEIGHTS, area: 0.2, topic: 2 },
      algoliaApiKey: "search-only-1",
      relatedMinScore: 0.25,
      contentDir: "/srv/site/content",
    });
    expect(readConfig({}).api.algoliaApiKey).toBeUndefined();
    expect(readConfig({ POSTINDEX_TRUST_PROXY: "TRUE" }).api.trustProxy).toBe(true);
    expect(readConfig({ POSTINDEX_TRUST_PROXY: "loopback, 10.0.0.0/8" }).api.trustProxy).toBe("loopback, 10.0.0.0/8");
  });

  test("a bad variable is named", () => {
    expect(() => readConfig({ POSTINDEX_CACHE_MAX_AGE: "soon" }).api).toThrow(/POSTINDEX_CACHE_MAX_AGE/);
    expect(() => readConfig({ POSTINDEX_TYPE_WEIGHTS: "area=-1" }).api).toThrow(/POSTINDEX_TYPE_WEIGHTS/);
    expect(() => readConfig({ POSTINDEX_REQUEST_TIMEOUT_MS: "5" }).api).toThrow(/POSTINDEX_REQUEST_TIMEOUT_MS/);
    expect(() => readConfig({ POSTINDEX_RELATED_MIN_SCORE: "1.5" }).api).toThrow(/POSTINDEX_RELATED_MIN_SCORE/);
    expect(() => readConfig({ POSTINDEX_RELATED_WORKERS: "two" })).toThrow(/POSTINDEX_RELATED_WORKERS/);
  });

  test("POSTINDEX_RELATED_WORKERS: a count of ranking threads for `postindex related`, unset by default", () => {
    expect(readConfig({ POSTINDEX_RELATED_WORKERS: "0" }).relatedWorkers).toBe(0);
    expect(readConfig({ POSTINDEX_RELATED_WORKERS: "2" }).relatedWorkers).toBe(2);
    expect(readConfig({}).relatedWorkers).toBeUndefined();
  });

  test("Cache-Control: a max-age, or revalidate every time at 0", () => {
    expect(cacheControl(30)).toBe("public, max-age=30");
    expect(cacheControl(0)).toBe("public, max-age=0, must-revalidate");
  });
});
