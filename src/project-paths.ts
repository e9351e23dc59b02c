import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
const parent = path.dirname(here);

/**
 * The project's root folder: the parent of `src/` in the sources, of `dist/src/` in the build and
 * of `dist/bundle/` in the CLI's bundle (scripts/bundle-cli.mjs).
 * Worked out from where this module sits, so importing it reads no file.
 */
export const PROJECT_ROOT = path.basename(parent) === "dist" ? path.dirname(parent) : parent;

/** The example content shipped in the repo: what `npm start` indexes when `CONTENT_DIR` is unset. */
export const EXAMPLE_CONTENT_DIR = path.join(PROJECT_ROOT, "content");

/** postindex's own version (package.json's `version`); "0.0.0" when it cannot be read. */
export function packageVersion(): string {
  try {
    const { version } = JSON.parse(readFileSync(path.join(PROJECT_ROOT, "package.json"), "utf8")) as {
      version?: unknown;
    };
    return typeof version === "string" ? version : "0.0.0";
  } catch {
    return "0.0.0";
  }
}
