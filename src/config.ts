import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { z } from "zod";
import { PostindexError } from "./errors.js";

/** The project's root folder, from the sources (`src/`) or the build (`dist/src/`). */
export const PROJECT_ROOT = findProjectRoot(path.dirname(fileURLToPath(import.meta.url)));

/** The example content shipped in the repo: what `npm start` indexes when `CONTENT_DIR` is unset. */
export const EXAMPLE_CONTENT_DIR = path.join(PROJECT_ROOT, "content");

function findProjectRoot(from: string): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, "package.json"))) return dir;
    if (path.dirname(dir) === dir) return from;
  }
}

const optionalText = z
  .string()
  .trim()
  .transform((value) => (value === "" ? undefined : value))
  .optional();

const configSchema = z.object({
  MEILI_URL: optionalText.pipe(z.url({ message: "MEILI_URL must be a URL such as http://127.0.0.1:7700" }).optional()),
  MEILI_MASTER_KEY: optionalText,
  MEILI_SEARCH_KEY: optionalText,
  MEILI_BIN: optionalText,
  MEILI_INDEX: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9_-]{1,400}$/, "MEILI_INDEX may hold only letters, digits, _ and -")
    .default("articles"),
  POSTINDEX_DATA_DIR: z.string().trim().min(1).default(".postindex"),
  PORT: z.coerce.number().int().min(0).max(65_535).default(7800),
  CONTENT_DIR: optionalText,
  POSTINDEX_MEILI_RETRY_MS: z.coerce.number().int().min(0).max(3_600_000).default(30_000),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
});

/**
 * postindex's configuration, read once from the environment at start-up (flags override it).
 * @see README.md "Configuration"
 */
export interface Config {
  /** An existing Meilisearch; undefined: start the embedded one. */
  readonly meiliUrl: string | undefined;
  /** Key for `meiliUrl` (admin or master); never logged. */
  readonly meiliMasterKey: string | undefined;
  /**
   * A search-only key for `serve`, so the API process never holds the master key
   * (`postindex search-key` prints one). Unset: the API derives one from `MEILI_MASTER_KEY`.
   */
  readonly meiliSearchKey: string | undefined;
  /** The Meilisearch binary for the embedded server (other platforms). */
  readonly meiliBin: string | undefined;
  /** Index uid; a reindex builds `<uid>_next` and swaps it in. @default "articles" */
  readonly indexUid: string;
  /** Embedded server data and lock files. @default ".postindex" */
  readonly dataDir: string;
  /** API port. @default 7800 */
  readonly port: number;
  /** Folder of article files. @default the shipped example content */
  readonly contentDir: string;
  /** How long `reindex` / `sync` retry an unreachable Meilisearch before exiting 1. @default 30000 */
  readonly meiliRetryMs: number;
  readonly logLevel: z.infer<typeof configSchema>["LOG_LEVEL"];
}

/** Validates the environment; the error names every variable that is wrong. */
export function loadConfig(env: NodeJS.ProcessEnv): Config {
  const parsed = configSchema.safeParse(env);
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
  });
}
