import { describe, expect, test } from "vitest";
import { errorBody, HTTP_STATUS, toHttpError } from "../../api/errors.js";
import {
  BadRequestError,
  ERROR_CODES,
  MeiliUnavailableError,
  NotFoundError,
  PostindexError,
  toMeiliError,
} from "../../src/index.js";

/** An error shaped like the meilisearch client's API error, with Meilisearch's `code`. */
function meiliApiError(code: string, message: string): Error {
  const apiError = Object.assign(new Error(message), { name: "MeilisearchApiError", cause: { code, message } });
  return new Error("request failed", { cause: apiError });
}

describe("toHttpError()", () => {
  test("every error code has a status", () => {
    for (const code of ERROR_CODES) expect(HTTP_STATUS[code], code).toBeGreaterThanOrEqual(400);
  });

  test("a bad request is a 400 naming the parameter, with its own message", () => {
    const answer = toHttpError(new BadRequestError("limit", "limit must be a whole number"));
    expect(answer).toEqual({
      status: 400,
      code: "bad_request",
      message: "limit must be a whole number",
      parameter: "limit",
    });
    expect(errorBody(answer)).toEqual({
      error: { code: "bad_request", message: "limit must be a whole number", parameter: "limit" },
    });
  });

  test("not found is a 404 without a parameter", () => {
    expect(errorBody(toHttpError(new NotFoundError('no indexed post has id "x"')))).toEqual({
      error: { code: "not_found", message: 'no indexed post has id "x"' },
    });
  });

  test("Meilisearch unreachable is a 503 with Retry-After and a message that names no address", () => {
    const answer = toHttpError(
      new MeiliUnavailableError("Meilisearch at http://127.0.0.1:7700 is unreachable (ECONNREFUSED)"),
    );
    expect(answer).toMatchObject({ status: 503, code: "meili_unavailable", retryAfter: true });
    expect(answer.message).not.toMatch(/127|ECONN/);
  });

  test("a refused Meilisearch request is a 502 that does not repeat Meilisearch's message", () => {
    const answer = toHttpError(
      toMeiliError(
        meiliApiError("invalid_search_filter", "Attribute `x` is not filterable at /secret/path"),
        "searching",
      ),
    );
    expect(answer).toMatchObject({ status: 502, code: "meili_request_failed" });
    expect(answer.message).not.toContain("/secret/path");
  });

  test("a missing index is a 503: not built yet", () => {
    const answer = toHttpError(
      toMeiliError(meiliApiError("index_not_found", "Index `articles` not found."), "searching"),
    );
    expect(answer).toMatchObject({
      status: 503,
      code: "meili_unavailable",
      retryAfter: true,
      message: expect.stringContaining("not built yet"),
    });
  });

  test("the body parser's errors name the body", () => {
    const parse = Object.assign(new SyntaxError("Unexpected token n in JSON at position 1"), {
      type: "entity.parse.failed",
      status: 400,
    });
    expect(toHttpError(parse)).toMatchObject({ status: 400, parameter: "body", message: "body is not valid JSON" });
    const large = Object.assign(new Error("request entity too large"), {
      type: "entity.too.large",
      status: 413,
      limit: 100,
    });
    expect(toHttpError(large)).toMatchObject({
      status: 413,
      code: "payload_too_large",
      message: "body must be at most 100 bytes",
    });
    const charset = Object.assign(new Error('unsupported charset "UTF-7"'), {
      type: "charset.unsupported",
      status: 415,
    });
    expect(toHttpError(charset)).toMatchObject({ status: 400, parameter: "body" });
  });

  test("a body that does not decompress (zlib's error, passed on by the body parser without a type) is a 400 naming the body", () => {
    const zlib = Object.assign(new Error("incorrect header check"), {
      code: "Z_DATA_ERROR",
      errno: -3,
      status: 400,
      statusCode: 400,
      expose: true,
    });
    expect(toHttpError(zlib)).toMatchObject({ status: 400, code: "bad_request", parameter: "body" });
    expect(toHttpError(Object.assign(new Error("x"), { status: 400 }))).toMatchObject({ status: 500 });
    expect(toHttpError(null)).toMatchObject({ status: 500 });
  });

  test("the router's undecodable path parameter is a 400 naming the path", () => {
    const error = Object.assign(new URIError("Failed to decode param '%zz'"), { status: 400 });
    expect(toHttpError(error)).toMatchObject({ status: 400, parameter: "path" });
  });

  test("anything else is a 500 that says nothing about it", () => {
    expect(toHttpError(new TypeError("cannot read x of undefined at /srv/app.js:1"))).toEqual({
      status: 500,
      code: "internal",
      message: "internal error",
    });
    expect(toHttpError(new PostindexError("config_invalid", "MEILI_URL at /etc/x is bad"))).toMatchObject({
      status: 500,
      message: "internal error",
    });
    expect(toHttpError("a string")).toMatchObject({ status: 500 });
  });
});
