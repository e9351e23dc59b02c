import { DEFAULT_TYPE_WEIGHTS } from "../src/index.js";

/**
 * How the API behaves towards clients, CDNs and Meilisearch; defaults merged in {@link resolveApiOptions}.
 * The command line reads them from the environment (`cli/config.ts`); the API reads no environment.
 */
export interface ApiOptions {
  /**
   * `Cache-Control: public, max-age=N` on successful GET answers (they carry an `ETag` too, so a
   * CDN or browser revalidates cheaply once it expires). 0 makes clients revalidate every time.
   * @default 30
   */
  readonly cacheMaxAgeSeconds: number;
  /**
   * Origins a browser may call the API from (`https://www.example.com`); `"*"` allows any.
   * @default [] (same-origin pages only)
   */
  readonly corsOrigins: readonly string[];
  /**
   * Express's `trust proxy`: set it when a CDN or proxy sits in front, so `req.ip` (access logs) is
   * the client's. `true`, a hop count, or addresses/subnets (`"loopback, 10.0.0.0/8"`).
   * @default false
   * @see https://expressjs.com/en/guide/behind-proxies.html
   */
  readonly trustProxy: boolean | number | string;
  /**
   * The longest a request may take, Meilisearch included: past it the answer is a 503 with
   * `Retry-After`. `startApi` also gives each Meilisearch request this timeout.
   * @default 3000
   */
  readonly requestTimeoutMs: number;
  /**
   * Largest JSON body (`POST /related`), in bytes.
   * @default 262144 (256 kB)
   */
  readonly bodyLimitBytes: number;
  /** Seconds a client is told to wait (`Retry-After`) when Meilisearch is unavailable. @default 5 */
  readonly retryAfterSeconds: number;
  /** Related posts: multiplier per entity type on top of rarity. @default DEFAULT_TYPE_WEIGHTS */
  readonly typeWeights: Readonly<Record<string, number>>;
  /**
   * Related posts: automatic entries (not pinned ones) scoring below this (0..1) are dropped before
   * the fallback applies, when a request gives no `minScore` of its own.
   * @default 0 (none dropped)
   */
  readonly relatedMinScore: number;
  /**
   * The API key Algolia clients must send to the `/1/…` routes (`x-algolia-api-key`, header or
   * query string), a public key like Algolia's search-only ones; others get a 403.
   * @default undefined: any key is accepted
   */
  readonly algoliaApiKey?: string | undefined;
  /**
   * The content folder whose `postindex.config.json` declares aliases: the API applies them to
   * facet filters and facet-value queries (`tools=k8s` finds the posts indexed as `kubernetes`).
   * @default undefined: no aliases
   */
  readonly contentDir?: string | undefined;
}

export const DEFAULT_API_OPTIONS: ApiOptions = Object.freeze({
  cacheMaxAgeSeconds: 30,
  corsOrigins: Object.freeze([]) as readonly string[],
  trustProxy: false,
  requestTimeoutMs: 3_000,
  bodyLimitBytes: 256 * 1024,
  retryAfterSeconds: 5,
  typeWeights: DEFAULT_TYPE_WEIGHTS,
  relatedMinScore: 0,
});

/** The defaults with `overrides` on top, frozen: the one place options are merged. */
export function resolveApiOptions(overrides: Partial<ApiOptions> = {}): ApiOptions {
  const defined = Object.fromEntries(Object.entries(overrides).filter(([, value]) => value !== undefined));
  return Object.freeze({ ...DEFAULT_API_OPTIONS, ...defined });
}
