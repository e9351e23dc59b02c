import { Router } from "express";
import { packageVersion } from "../../src/index.js";
import type { ApiContext } from "../context.js";
import { buildOpenApiDocument } from "../openapi.js";
import { sendCacheable } from "../respond.js";

/** `GET /openapi.json`: the API described, built once from the zod schemas. */
export function openApiRoutes(context: ApiContext): Router {
  let document: object | undefined;
  return Router().get("/openapi.json", (_req, res) => {
    document ??= buildOpenApiDocument(packageVersion());
    sendCacheable(res, document, context.options.cacheMaxAgeSeconds);
  });
}
