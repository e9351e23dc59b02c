import type { Request } from "express";
import { BadRequestError } from "../src/index.js";

/** Query parameters as read from a URL: one string, or several when the parameter repeats. */
export type QueryParams = Record<string, string | string[]>;

function decode(component: string, parameter: string): string {
  try {
    return decodeURIComponent(component.replaceAll("+", " "));
  } catch (error) {
    if (error instanceof URIError) {
      throw new BadRequestError(parameter, `${parameter}: malformed percent escape (use %XX with two hex digits)`);
    }
    throw error;
  }
}

/**
 * Parse a URL's query string strictly: a malformed percent escape (`%zz`, a lone `%`, an
 * invalid UTF-8 sequence such as `%ff`) is a {@link BadRequestError} naming the parameter, where
 * `URLSearchParams` and Node's `querystring` silently keep the raw text.
 *
 * `+` is a space, empty segments (`a=1&&b=2`) are skipped, a parameter without `=` has the value
 * `""`, and a repeated parameter becomes an array in order of appearance. The result has no
 * prototype, so `__proto__=x` is an ordinary (and ignored) parameter.
 *
 * @param search the part of the URL after `?` (a leading `?` is accepted)
 */
export function parseQueryString(search: string): QueryParams {
  const params: QueryParams = Object.create(null) as QueryParams;
  const text = search.startsWith("?") ? search.slice(1) : search;
  for (const segment of text.split("&")) {
    if (segment === "") continue;
    const equalsAt = segment.indexOf("=");
    const rawName = equalsAt === -1 ? segment : segment.slice(0, equalsAt);
    const rawValue = equalsAt === -1 ? "" : segment.slice(equalsAt + 1);
    const name = decode(rawName, rawName);
    const value = decode(rawValue, name);
    const previous = params[name];
    if (previous === undefined) params[name] = value;
    else if (Array.isArray(previous)) previous.push(value);
    else params[name] = [previous, value];
  }
  return params;
}

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
