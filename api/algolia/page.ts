import path from "node:path";
import { Router } from "express";
import { PROJECT_ROOT } from "../../src/index.js";

/**
 * `GET /instantsearch`: a real InstantSearch page (`api/public/instantsearch/`, its script and
 * styles served with the demo page's files) and the two browser builds it runs, served from the
 * pinned npm packages (`node_modules`), never from a CDN: instantsearch.js and the Algolia lite
 * client. `config.json` tells the page its index name and the key to send.
 */

const PAGE = path.join(PROJECT_ROOT, "api", "public", "instantsearch", "index.html");
const VENDOR: Readonly<Record<string, string>> = {
  "instantsearch.js": path.join(
    PROJECT_ROOT,
    "node_modules",
    "instantsearch.js",
    "dist",
    "instantsearch.production.min.js",
  ),
  "algoliasearch-lite.js": path.join(
    PROJECT_ROOT,
    "node_modules",
    "algoliasearch",
    "dist",
    "lite",
    "builds",
    "browser.umd.js",
  ),
};
/** Not content-hashed: cached, but revalidated (a cheap 304), as the demo page's files. */
const CACHE_CONTROL = "public, no-cache";

/** The page's routes for live index `indexName`; `apiKey` is the public key the page sends. */
export function instantSearchPageRoutes(indexName: string, apiKey: string | undefined): Router {
  const config = { appId: "postindex", apiKey: apiKey ?? "postindex-public", indexName };
  const sendOptions = { headers: { "Cache-Control": CACHE_CONTROL }, dotfiles: "deny" as const };
  return Router()
    .get("/instantsearch", (_req, res, next) => res.sendFile(PAGE, sendOptions, (error) => error && next(error)))
    .get("/instantsearch/config.json", (_req, res) => {
      res.set("Cache-Control", CACHE_CONTROL).json(config);
    })
    .get("/instantsearch/vendor/:file", (req, res, next) => {
      const file = VENDOR[req.params.file];
      if (file === undefined || !Object.hasOwn(VENDOR, req.params.file)) {
        next();
        return;
      }
      res.type("application/javascript");
      res.sendFile(file, sendOptions, (error) => error && next(error));
    });
}
