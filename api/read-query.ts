import type { Request } from "express";
import { BadRequestError, parseQueryString, type QueryParams } from "../src/index.js";

/** Most parameters (repeats included) one query string may carry. */
const MAX_QUERY_PARAMETERS = 100;

/** The request's query string, parsed strictly (see {@link readQueryString}). */
export function readQuery(req: Request): QueryParams {
  const url = req.originalUrl;
  const at = url.indexOf("?");
  return at === -1 ? (Object.create(null) as QueryParams) : readQueryString(url.slice(at + 1));
}

/**
 * A query string (the part of the URL after `?`), parsed strictly (`parseQueryString`: a
 * malformed percent escape is a 400 naming the parameter, where Express's parser would keep the
 * raw text).
 * @throws BadRequestError naming `query` past {@link MAX_QUERY_PARAMETERS} parameters
 */
export function readQueryString(search: string): QueryParams {
  let count = 0;
  for (let from = 0; from <= search.length;) {
    let end = search.indexOf("&", from);
    if (end === -1) end = search.length;
    if (end > from) count += 1;
    from = end + 1;
  }
  if (count > MAX_QUERY_PARAMETERS) {
    throw new BadRequestError(
      "query",
      `the query string may carry at most ${MAX_QUERY_PARAMETERS} parameters, got ${count}`,
    );
  }
  return parseQueryString(search);
}
