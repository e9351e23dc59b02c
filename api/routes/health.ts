import { Router } from "express";
import { readServiceStatus } from "../../src/index.js";
import type { ApiContext } from "../context.js";
import { toHttpError } from "../errors.js";
import { sendUncached } from "../respond.js";

/** `GET /health`: 200 `{"status": "ok", …}` when Meilisearch answers, else 503 `{"status": "unavailable", …}`. */
export function healthRoutes(context: ApiContext): Router {
  return Router().get("/health", async (_req, res) => {
    try {
      sendUncached(res, await readServiceStatus(context.client, context.indexUid));
    } catch (error) {
      const { code, message } = toHttpError(error);
      if (!res.headersSent) res.set("Retry-After", String(context.options.retryAfterSeconds));
      sendUncached(res, { status: "unavailable", meilisearch: "unavailable", error: { code, message } }, 503);
    }
  });
}
