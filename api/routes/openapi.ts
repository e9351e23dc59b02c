import { readFileSync } from "node:fs";
import path from "node:path";
import { Router } from "express";
import { PROJECT_ROOT } from "../../src/index.js";
import type { ApiContext } from "../context.js";
import { buildOpenApiDocument } from "../openapi.js";
import { sendCacheable } from "../respond.js";

function packageVersion(): string {
  const { version } = JSON.parse(readFileSync(path.join(PROJECT_ROOT, "package.json"), "utf8")) as {
    version?: unknown;
  };
  return typeof version === "string" ? version : "0.0.0";
}

/** `GET /openapi.json`: the API described, built once from the zod schemas. */
export function openApiRoutes(context: ApiContext): Router {
  let document: object | undefined;
  return Router().get("/openapi.json", (_req, res) => {
    document ??= buildOpenApiDocument(packageVersion());
    sendCacheable(res, document, context.options.cacheMaxAgeSeconds);
  });
}
