import type { Request } from "express";
import { BadRequestError, parseQueryString, type QueryParams } from "../src/index.js";

/** Most parameters (repeats included) one query string may carry. */
export const MAX_QUERY_PARAMETERS = 100;

/**
 * The request's query string, parsed strictly (`parseQueryString`: a malformed percent escape is a
 * 400 naming the parameter, where Express's parser would keep the raw text).
 * @throws BadRequestError naming `query` past {@link MAX_QUERY_PARAMETERS} parameters
 */
export function readQuery(req: Request): QueryParams {
  const url = req.originalUrl;
  const at = url.indexOf("?");
  if (at === -1) return Object.create(null) as QueryParams;
  const search = url.slice(at + 1);
  let count = 0;
  for (const segment of search.split("&")) if (segment !== "") count += 1;
  if (count > MAX_QUERY_PARAMETERS) {
    throw new BadRequestError("query", `the query string may carry at most ${MAX_QUERY_PARAMETERS} parameters, got ${count}`);
  }
  return parseQueryString(search);
}
