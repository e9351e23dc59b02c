import { z } from "zod";
import { DEFAULT_TYPE_WEIGHTS, PostindexError } from "../src/index.js";

/** How the API behaves towards clients, CDNs and Meilisearch; defaults merged in {@link resolveApiOptions}. */
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
}

export const DEFAULT_API_OPTIONS: ApiOptions = Object.freeze({
  cacheMaxAgeSeconds: 30,
  corsOrigins: Object.freeze([]) as readonly string[],
  trustProxy: false,
  requestTimeoutMs: 3_000,
  bodyLimitBytes: 256 * 1024,
  retryAfterSeconds: 5,
  typeWeights: DEFAULT_TYPE_WEIGHTS,
});

/** The defaults with `overrides` on top, frozen: the one place options are merged. */
export function resolveApiOptions(overrides: Partial<ApiOptions> = {}): ApiOptions {
  const defined = Object.fromEntries(Object.entries(overrides).filter(([, value]) => value !== undefined));
  return Object.freeze({ ...DEFAULT_API_OPTIONS, ...defined });
}

const list = z.string().transform((value) =>
  value
    .split(",")
    .map((item) => item.trim())
    .filter((item) => item !== ""),
);

const trustProxy = z.string().transform((value): boolean | number | string => {
  const text = value.trim();
  if (/^(true|false)$/i.test(text)) return text.toLowerCase() === "true";
  return /^\d+$/.test(text) ? Number(text) : text;
});

const typeWeights = list.transform((pairs, ctx): Record<string, number> => {
  const weights: Record<string, number> = {};
  for (const pair of pairs) {
    const [type, weight] = pair.split("=").map((part) => part.trim());
    const value = Number(weight);
    if (!type || weight === undefined || weight === "" || !(value >= 0) || !Number.isFinite(value)) {
      ctx.addIssue({
        code: "custom",
        message: `expected type=weight pairs such as "problem=1.2,area=0.6", got "${pair}"`,
      });
      return z.NEVER;
    }
    weights[type] = value;
  }
  return { ...DEFAULT_TYPE_WEIGHTS, ...weights };
});

const envSchema = z.object({
  POSTINDEX_CACHE_MAX_AGE: z.coerce.number().int().min(0).max(31_536_000).optional(),
  POSTINDEX_CORS_ORIGINS: list.optional(),
  POSTINDEX_TRUST_PROXY: trustProxy.optional(),
  POSTINDEX_REQUEST_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).optional(),
  POSTINDEX_TYPE_WEIGHTS: typeWeights.optional(),
});

/**
 * API options from the environment, for entry points (`postindex serve` / `start`):
 * `POSTINDEX_CACHE_MAX_AGE` (seconds), `POSTINDEX_CORS_ORIGINS` (comma-separated, or `*`),
 * `POSTINDEX_TRUST_PROXY` (`true`, a hop count, or addresses), `POSTINDEX_REQUEST_TIMEOUT_MS`,
 * `POSTINDEX_TYPE_WEIGHTS` (`problem=1.2,area=0.6`, merged over the defaults). Unset: the default.
 * @throws PostindexError `config_invalid` naming every variable that is wrong.
 */
export function apiOptionsFromEnv(env: NodeJS.ProcessEnv): Partial<ApiOptions> {
  const blankless = Object.fromEntries(
    Object.entries(env).filter(([, value]) => value !== undefined && value.trim() !== ""),
  );
  const parsed = envSchema.safeParse(blankless);
  if (!parsed.success) {
    throw new PostindexError("config_invalid", `invalid API configuration:\n${z.prettifyError(parsed.error)}`);
  }
  const vars = parsed.data;
  return {
    cacheMaxAgeSeconds: vars.POSTINDEX_CACHE_MAX_AGE,
    corsOrigins: vars.POSTINDEX_CORS_ORIGINS,
    trustProxy: vars.POSTINDEX_TRUST_PROXY,
    requestTimeoutMs: vars.POSTINDEX_REQUEST_TIMEOUT_MS,
    typeWeights: vars.POSTINDEX_TYPE_WEIGHTS,
  };
}
