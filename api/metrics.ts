import { collectDefaultMetrics, Counter, Histogram, Registry } from "prom-client";
import type { RequestHandler } from "express";
import type { ErrorCode } from "../src/index.js";
import { routeLabel } from "./middleware/access-log.js";

/** Latency buckets (seconds): fine-grained under 50 ms, where a search API should live. */
const LATENCY_BUCKETS = [0.001, 0.002, 0.005, 0.01, 0.015, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];

/**
 * The API's Prometheus metrics, in a registry of its own (two apps in one process never collide):
 * `postindex_http_requests_total{method,route,status}`,
 * `postindex_http_request_duration_seconds{method,route}`,
 * `postindex_meilisearch_errors_total{code}`, and Node's process metrics.
 * @see https://prometheus.io/docs/instrumenting/exposition_formats/
 */
export interface ApiMetrics {
  readonly registry: Registry;
  /** Counts a failure that came from Meilisearch (`meili_unavailable`, `meili_request_failed`, …). */
  readonly countMeiliError: (code: ErrorCode) => void;
  /** Middleware timing every request, labelled by route pattern. */
  readonly observe: RequestHandler;
  /** Counts and times one answered request (what `observe` does, for the routes served before Express). */
  record(method: string, route: string, status: number, seconds: number): void;
}

export function createMetrics(): ApiMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: "postindex_" });
  const requests = new Counter({
    name: "postindex_http_requests_total",
    help: "HTTP requests answered, by method, route pattern and status",
    labelNames: ["method", "route", "status"] as const,
    registers: [registry],
  });
  const latency = new Histogram({
    name: "postindex_http_request_duration_seconds",
    help: "Time to answer HTTP requests, by method and route pattern",
    labelNames: ["method", "route"] as const,
    buckets: LATENCY_BUCKETS,
    registers: [registry],
  });
  const meiliErrors = new Counter({
    name: "postindex_meilisearch_errors_total",
    help: "Requests that failed because of Meilisearch, by postindex error code",
    labelNames: ["code"] as const,
    registers: [registry],
  });
  const record = (method: string, route: string, status: number, seconds: number): void => {
    requests.inc({ method, route, status: String(status) });
    latency.observe({ method, route }, seconds);
  };
  const observe: RequestHandler = (req, res, next) => {
    const started = process.hrtime.bigint();
    res.once("finish", () =>
      record(req.method, routeLabel(req), res.statusCode, Number(process.hrtime.bigint() - started) / 1e9),
    );
    next();
  };
  return { registry, countMeiliError: (code) => meiliErrors.inc({ code }), observe, record };
}
