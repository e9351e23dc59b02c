import path from "node:path";
import * as z from "zod/v4";
import type { ApiOptions } from "../api/index.js";
import { DEFAULT_TYPE_WEIGHTS, EXAMPLE_CONTENT_DIR, PostindexError } from "../src/index.js";

/** The levels `LOG_LEVEL` accepts (pino's, and `silent`). */
const LOG_LEVELS = ["fatal", "error", "warn", "info", "debug", "trace", "silent"] as const;

/** A pino level `LOG_LEVEL` may name. */
type LogLevel = (typeof LOG_LEVELS)[number];

/**
 * postindex's configuration: every environment variable the README documents, validated by one
 * schema, read once by the entry point (`cli/main.ts`) and handed to the command that runs; flags
 * override it. Nothing below `cli/` reads the environment.
 * @see README.md "Configuration"
 */
export interface Config {
  /** An existing Meilisearch (`MEILI_URL`); undefined: start the embedded one. */
  readonly meiliUrl: string | undefined;
  /** Key for `meiliUrl` (admin or master, `MEILI_MASTER_KEY`); never logged. */
  readonly meiliMasterKey: string | undefined;
  /**
   * A search-only key for `serve` (`MEILI_SEARCH_KEY`), so the API process never holds the master
   * key (`postindex search-key` prints one). Unset: the API derives one from `MEILI_MASTER_KEY`.
   */
  readonly meiliSearchKey: string | undefined;
  /** The Meilisearch binary for the embedded server on other platforms (`MEILI_BIN`). */
  readonly meiliBin: string | undefined;
  /** Index uid (`MEILI_INDEX`); a reindex builds `<uid>_next` and swaps it in. @default "articles" */
  readonly indexUid: string;
  /** Embedded server data and lock files (`POSTINDEX_DATA_DIR`), absolute. @default ".postindex" */
  readonly dataDir: string;
  /** API port (`PORT`). @default 7800 */
  readonly port: number;
  /** Folder `start` indexes and watches (`CONTENT_DIR`), absolute. @default the shipped example content */
  readonly contentDir: string;
  /**
   * How long `reindex` / `sync` retry an unreachable Meilisearch before exiting 1
   * (`POSTINDEX_MEILI_RETRY_MS`). @default 30000
   */
  readonly meiliRetryMs: number;
  /** `LOG_LEVEL`; undefined when unset (then `info`, or `warn` for `start` on a terminal). */
  readonly logLevel: LogLevel | undefined;
  /**
   * Worker threads `postindex related` ranks with besides the main thread
   * (`POSTINDEX_RELATED_WORKERS`, 0: none); undefined: one per other core.
   */
  readonly relatedWorkers: number | undefined;
  /** The API's options the environment sets (`POSTINDEX_CACHE_MAX_AGE` …); the rest keep their defaults. */
  readonly api: Partial<ApiOptions>;
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

const text = z.string().trim().optional();

/** Every variable, with its rule and default (README "Configuration"). A blank variable counts as unset. */
const configSchema = z.object({
  MEILI_URL: text.pipe(z.url({ message: "MEILI_URL must be a URL such as http://127.0.0.1:7700" }).optional()),
  MEILI_MASTER_KEY: text,
  MEILI_SEARCH_KEY: text,
  MEILI_BIN: text,
  MEILI_INDEX: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9_-]{1,400}$/, "MEILI_INDEX may hold only letters, digits, _ and -")
    .default("articles"),
  POSTINDEX_DATA_DIR: z.string().trim().default(".postindex"),
  PORT: z.coerce.number().int().min(0).max(65_535).default(7800),
  CONTENT_DIR: text,
  POSTINDEX_MEILI_RETRY_MS: z.coerce.number().int().min(0).max(3_600_000).default(30_000),
  LOG_LEVEL: z.enum(LOG_LEVELS).optional(),
  POSTINDEX_CACHE_MAX_AGE: z.coerce.number().int().min(0).max(31_536_000).optional(),
  POSTINDEX_CORS_ORIGINS: list.optional(),
  POSTINDEX_TRUST_PROXY: trustProxy.optional(),
  POSTINDEX_REQUEST_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).optional(),
  POSTINDEX_TYPE_WEIGHTS: typeWeights.optional(),
  POSTINDEX_ALGOLIA_API_KEY: z.string().trim().min(1).optional(),
  POSTINDEX_RELATED_MIN_SCORE: z.coerce.number().min(0).max(1).optional(),
  POSTINDEX_RELATED_WORKERS: z.coerce.number().int().min(0).max(16).optional(),
});

/**
 * Validates the environment once, for the command about to run.
 * @throws PostindexError `config_invalid` naming every variable that is wrong
 */
export function readConfig(env: NodeJS.ProcessEnv): Config {
  const set = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined && value.trim() !== ""));
  const parsed = configSchema.safeParse(set);
  if (!parsed.success) {
    throw new PostindexError("config_invalid", `invalid configuration:\n${z.prettifyError(parsed.error)}`);
  }
  const vars = parsed.data;
  return Object.freeze({
    meiliUrl: vars.MEILI_URL,
    meiliMasterKey: vars.MEILI_MASTER_KEY,
    meiliSearchKey: vars.MEILI_SEARCH_KEY,
    meiliBin: vars.MEILI_BIN,
    indexUid: vars.MEILI_INDEX,
    dataDir: path.resolve(vars.POSTINDEX_DATA_DIR),
    port: vars.PORT,
    contentDir: path.resolve(vars.CONTENT_DIR ?? EXAMPLE_CONTENT_DIR),
    meiliRetryMs: vars.POSTINDEX_MEILI_RETRY_MS,
    logLevel: vars.LOG_LEVEL,
    relatedWorkers: vars.POSTINDEX_RELATED_WORKERS,
    api: Object.freeze({
      cacheMaxAgeSeconds: vars.POSTINDEX_CACHE_MAX_AGE,
      corsOrigins: vars.POSTINDEX_CORS_ORIGINS,
      trustProxy: vars.POSTINDEX_TRUST_PROXY,
      requestTimeoutMs: vars.POSTINDEX_REQUEST_TIMEOUT_MS,
      typeWeights: vars.POSTINDEX_TYPE_WEIGHTS,
      algoliaApiKey: vars.POSTINDEX_ALGOLIA_API_KEY,
      relatedMinScore: vars.POSTINDEX_RELATED_MIN_SCORE,
      contentDir: path.resolve(vars.CONTENT_DIR ?? EXAMPLE_CONTENT_DIR),
    }),
  });
}
