import path from "node:path";
import express, { Router } from "express";
import { PROJECT_ROOT } from "../../src/index.js";

/**
 * The demo page's folder: the project's `api/public`. The build does not copy it into `dist/`, so it
 * is found from the project root (the folder holding package.json), which is the same from the
 * sources (`api/routes/`) and from the build (`dist/api/routes/`).
 */
const DEMO_PAGE_DIR = path.join(PROJECT_ROOT, "api", "public");

/** Options for {@link demoPageRoutes}. */
export interface DemoPageOptions {
  /** The folder served. @default DEMO_PAGE_DIR */
  readonly dir?: string;
}

/**
 * The file names are not content-hashed, so a browser or CDN may keep a copy but must revalidate it
 * (a cheap 304 thanks to the ETag): after an upgrade, index.html and its modules never mix versions.
 */
const DEMO_PAGE_CACHE_CONTROL = "public, no-cache";

/**
 * `GET /` (index.html) and its scripts and styles: the demo search page, a static page calling only
 * the public API with relative URLs. Anything that is not one of its files falls through to the next
 * handler (the API's JSON 404), so register it after the API routes: API requests then never cost a
 * file lookup.
 * @see README.md "The demo page"
 * @see https://expressjs.com/en/5x/api.html#express.static
 */
export function demoPageRoutes(options: DemoPageOptions = {}): Router {
  return Router().use(
    express.static(options.dir ?? DEMO_PAGE_DIR, {
      index: "index.html",
      redirect: false,
      dotfiles: "ignore",
      fallthrough: true,
      etag: true,
      lastModified: true,
      setHeaders(res) {
        res.setHeader("Cache-Control", DEMO_PAGE_CACHE_CONTROL);
      },
    }),
  );
}
