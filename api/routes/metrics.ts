import { Router } from "express";
import type { ApiMetrics } from "../metrics.js";

/** `GET /metrics`: Prometheus text exposition of the API's registry. */
export function metricsRoutes(metrics: ApiMetrics): Router {
  return Router().get("/metrics", async (_req, res) => {
    const text = await metrics.registry.metrics();
    res.set("Cache-Control", "no-store").type(metrics.registry.contentType).send(text);
  });
}
