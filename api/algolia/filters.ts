import { FACETS, isFacet, normaliseFacetValue, quoteFilterValue, type Facet } from "../../src/index.js";
import { SEARCH_LIMITS } from "../queries.js";
import { AlgoliaError } from "./errors.js";
import { ALGOLIA_LIMITS, type FilterGroup } from "./params.js";

/**
 * Algolia's three filter parameters → one Meilisearch filter expression, built from an allow-list
 * of attributes and with every value quoted by the core's `quoteFilterValue` (numbers are checked
 * to be numbers): nothing from a request ever reaches Meilisearch as filter syntax.
 *
 * - `facetFilters`: `"stack:python"`, `["stack:a", "stack:b"]` (OR inside, AND across), a leading
 *   `-` negates (`"stack:-python"`; `\-` for a value that starts with a dash). Values are normalised
 *   like records (trimmed, lower-cased), as `GET /search` does.
 * - `numericFilters`: `"view_count>=100"`, `"reading_time:5 TO 10"`, same nesting.
 * - `filters`: the SQL-like subset parsed here: conditions `attr:value`, `attr:"quoted value"`,
 *   `attr op number`, `attr:low TO high`, `NOT condition`, `AND`, `OR`, parentheses.
 * @see https://www.algolia.com/doc/api-reference/api-parameters/filters/
 */

/** Numeric attributes `numericFilters` and `filters` may compare (filterable with ranges). */
const NUMERIC_ATTRIBUTES = ["reading_time", "view_count", "last_reviewed_at"] as const;
type NumericAttribute = (typeof NUMERIC_ATTRIBUTES)[number];

const NUMBER = /^-?(?:\d+(?:\.\d+)?|\.\d+)(?:e[+-]?\d+)?$/i;
const OPERATORS = ["<=", ">=", "!=", "<", ">", "="] as const;
type Operator = (typeof OPERATORS)[number];

function isNumeric(name: string): name is NumericAttribute {
  return (NUMERIC_ATTRIBUTES as readonly string[]).includes(name);
}

function shown(value: string): string {
  return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
}

function unknownAttribute(parameter: string, name: string): AlgoliaError {
  return new AlgoliaError(
    400,
    `${parameter}: cannot filter on ${shown(name)}; facets are ${FACETS.join(", ")}, numbers are ${NUMERIC_ATTRIBUTES.join(", ")}`,
  );
}

function number(parameter: string, text: string): string {
  const trimmed = text.trim();
  if (!NUMBER.test(trimmed) || !Number.isFinite(Number(trimmed)))
    throw new AlgoliaError(400, `${parameter}: expected a number, got ${shown(text)}`);
  return String(Number(trimmed));
}

/** Meilisearch cannot filter on much longer values; as `GET /search`, a 400 rather than an empty answer. */
const MAX_FACET_VALUE_BYTES = SEARCH_LIMITS.maxFacetValueLength;

function facetCondition(facet: Facet, value: string, negated: boolean): string {
  const normalised = normaliseFacetValue(value);
  if (Buffer.byteLength(normalised) > MAX_FACET_VALUE_BYTES)
    throw new AlgoliaError(400, `${facet} values must be at most ${MAX_FACET_VALUE_BYTES} bytes of UTF-8`);
  const quoted = quoteFilterValue(normalised);
  return `${facet} ${negated ? "!=" : "="} ${quoted}`;
}

function or(conditions: readonly string[]): string {
  return conditions.length === 1 ? (conditions[0] as string) : `(${conditions.join(" OR ")})`;
}

function and(clauses: readonly string[]): string | undefined {
  const present = clauses.filter((clause) => clause !== "");
  return present.length === 0 ? undefined : present.join(" AND ");
}

/** One `facetFilters` entry: `attribute:value`, `attribute:-value` (negated), `attribute:\-value`. */
function facetFilter(entry: string): string {
  const at = entry.indexOf(":");
  if (at <= 0) throw new AlgoliaError(400, `facetFilters: expected attribute:value, got ${shown(entry)}`);
  const name = entry.slice(0, at).trim();
  let value = entry.slice(at + 1);
  let negated = false;
  if (value.startsWith("-")) {
    negated = true;
    value = value.slice(1);
  } else if (value.startsWith("\\-")) value = value.slice(1);
  if (isFacet(name)) return facetCondition(name, value, negated);
  if (isNumeric(name)) return `${name} ${negated ? "!=" : "="} ${number("facetFilters", value)}`;
  throw unknownAttribute("facetFilters", name);
}

/** One `numericFilters` entry: `attribute op number` or `attribute:low TO high`. */
function numericFilter(entry: string): string {
  const range = /^\s*([A-Za-z_][\w.]*)\s*:\s*(\S+)\s+TO\s+(\S+)\s*$/.exec(entry);
  if (range !== null) {
    const [, name = "", low = "", high = ""] = range;
    if (!isNumeric(name)) throw unknownAttribute("numericFilters", name);
    return `${name} ${number("numericFilters", low)} TO ${number("numericFilters", high)}`;
  }
  const comparison = /^\s*([A-Za-z_][\w.]*)\s*(<=|>=|!=|<|>|=)\s*(.+?)\s*$/.exec(entry);
  if (comparison === null)
    throw new AlgoliaError(400, `numericFilters: expected attribute op number, got ${shown(entry)}`);
  const [, name = "", operator = "", value = ""] = comparison;
  if (!isNumeric(name)) throw unknownAttribute("numericFilters", name);
  return `${name} ${operator} ${number("numericFilters", value)}`;
}

function groups(entries: readonly FilterGroup[], read: (entry: string) => string): string[] {
  return entries
    .map((group) => (typeof group === "string" ? [group] : group).filter((entry) => entry.trim() !== ""))
    .filter((group) => group.length > 0)
    .map((group) => or(group.map(read)));
}

/** The filters of one request. */
export interface FilterInput {
  readonly facetFilters: readonly FilterGroup[];
  readonly numericFilters: readonly FilterGroup[];
  readonly filters: string;
}

/**
 * The Meilisearch filter for `input` (undefined when it filters nothing), AND-ed with `extra`
 * (a clause built by the core). Each part is parenthesised where it holds an OR, so the parts AND
 * together safely.
 * @throws AlgoliaError 400 naming the parameter and the entry at fault
 */
export function toMeiliFilter(input: FilterInput, extra: readonly string[] = []): string | undefined {
  const parsed = input.filters.trim() === "" ? undefined : parseFilters(input.filters);
  return and([
    ...groups(input.facetFilters, facetFilter),
    ...groups(input.numericFilters, numericFilter),
    ...(parsed === undefined ? [] : [`(${parsed})`]),
    ...extra,
  ]);
}

/**
 * `facetFilters` as a selection per facet (values normalised, OR-ed per facet), for the related
 * posts, which filter in memory: only groups that name one facet each, unnegated, are accepted.
 * @throws AlgoliaError 400 for anything else
 */
export function toFacetSelection(entries: readonly FilterGroup[]): Partial<Record<Facet, string[]>> {
  const selection: Partial<Record<Facet, string[]>> = {};
  for (const group of entries) {
    const items = (typeof group === "string" ? [group] : group).filter((entry) => entry.trim() !== "");
    let facet: Facet | undefined;
    const values: string[] = [];
    for (const entry of items) {
      const at = entry.indexOf(":");
      const name = at <= 0 ? "" : entry.slice(0, at).trim();
      const raw = entry.slice(at + 1);
      if (!isFacet(name) || raw.startsWith("-") || (facet !== undefined && facet !== name) || selection[name])
        throw new AlgoliaError(
          400,
          `facetFilters: recommendations filter on facets only, one facet per group, each facet once, no negation; got ${shown(entry)}`,
        );
      facet = name;
      values.push(normaliseFacetValue(raw.startsWith("\\-") ? raw.slice(1) : raw));
    }
    if (facet !== undefined) selection[facet] = values;
  }
  return selection;
}

// ---- the `filters` subset -------------------------------------------------------------------

type Token =
  | { readonly kind: "open" | "close" | "and" | "or" | "not" | "to" | "colon" }
  | { readonly kind: "operator"; readonly operator: Operator }
  | { readonly kind: "word"; readonly text: string; readonly quoted: boolean };

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let at = 0;
  while (at < text.length) {
    const char = text[at] as string;
    if (/\s/.test(char)) {
      at += 1;
      continue;
    }
    if (char === "(" || char === ")") {
      tokens.push({ kind: char === "(" ? "open" : "close" });
      at += 1;
      continue;
    }
    if (char === ":") {
      tokens.push({ kind: "colon" });
      at += 1;
      continue;
    }
    const operator = OPERATORS.find((candidate) => text.startsWith(candidate, at));
    if (operator !== undefined) {
      tokens.push({ kind: "operator", operator });
      at += operator.length;
      continue;
    }
    if (char === '"' || char === "'") {
      let value = "";
      let end = at + 1;
      while (end < text.length && text[end] !== char) {
        if (text[end] === "\\" && end + 1 < text.length) end += 1;
        value += text[end];
        end += 1;
      }
      if (end >= text.length) throw new AlgoliaError(400, "filters: a quoted value is not closed");
      tokens.push({ kind: "word", text: value, quoted: true });
      at = end + 1;
      continue;
    }
    let end = at;
    while (end < text.length && !/[\s():"'<>=!]/.test(text[end] as string)) end += 1;
    if (end === at) throw new AlgoliaError(400, `filters: unexpected ${shown(char)}`);
    const word = text.slice(at, end);
    const keyword = word.toUpperCase();
    if (keyword === "AND") tokens.push({ kind: "and" });
    else if (keyword === "OR") tokens.push({ kind: "or" });
    else if (keyword === "NOT") tokens.push({ kind: "not" });
    else if (keyword === "TO") tokens.push({ kind: "to" });
    else tokens.push({ kind: "word", text: word, quoted: false });
    at = end;
  }
  return tokens;
}

const MAX_DEPTH = 8;

/** Recursive descent over the tokens: or := and (OR and)*; and := unary (AND unary)*. */
class FilterParser {
  readonly #tokens: Token[];
  #at = 0;
  #conditions = 0;

  constructor(tokens: Token[]) {
    this.#tokens = tokens;
  }

  parse(): string {
    const expression = this.#or(0);
    if (this.#at < this.#tokens.length) throw new AlgoliaError(400, "filters: unexpected text after the expression");
    return expression;
  }

  #peek(): Token | undefined {
    return this.#tokens[this.#at];
  }

  #next(): Token {
    const token = this.#tokens[this.#at];
    if (token === undefined) throw new AlgoliaError(400, "filters: the expression ends too early");
    this.#at += 1;
    return token;
  }

  #or(depth: number): string {
    const parts = [this.#and(depth)];
    while (this.#peek()?.kind === "or") {
      this.#at += 1;
      parts.push(this.#and(depth));
    }
    return parts.length === 1 ? (parts[0] as string) : `(${parts.join(" OR ")})`;
  }

  #and(depth: number): string {
    const parts = [this.#unary(depth)];
    while (this.#peek()?.kind === "and") {
      this.#at += 1;
      parts.push(this.#unary(depth));
    }
    return parts.join(" AND ");
  }

  #unary(depth: number): string {
    if (depth > MAX_DEPTH) throw new AlgoliaError(400, `filters: nested more than ${MAX_DEPTH} deep`);
    const token = this.#next();
    if (token.kind === "not") return `NOT (${this.#unary(depth + 1)})`;
    if (token.kind === "open") {
      const inner = this.#or(depth + 1);
      if (this.#next().kind !== "close") throw new AlgoliaError(400, "filters: a parenthesis is not closed");
      return `(${inner})`;
    }
    if (token.kind !== "word" || token.quoted) throw new AlgoliaError(400, "filters: expected an attribute name");
    this.#conditions += 1;
    if (this.#conditions > ALGOLIA_LIMITS.maxConditions)
      throw new AlgoliaError(400, `filters: at most ${ALGOLIA_LIMITS.maxConditions} conditions`);
    return this.#condition(token.text);
  }

  #value(): { text: string; quoted: boolean } {
    const token = this.#next();
    if (token.kind !== "word") throw new AlgoliaError(400, "filters: expected a value");
    return token;
  }

  #condition(name: string): string {
    const token = this.#next();
    if (token.kind === "operator") {
      if (!isNumeric(name)) throw unknownAttribute("filters", name);
      return `${name} ${token.operator} ${number("filters", this.#value().text)}`;
    }
    if (token.kind !== "colon")
      throw new AlgoliaError(400, `filters: expected ":" or a comparison after ${shown(name)}`);
    const value = this.#value();
    if (isFacet(name)) return facetCondition(name, value.text, false);
    if (!isNumeric(name)) throw unknownAttribute("filters", name);
    const low = number("filters", value.text);
    if (this.#peek()?.kind !== "to") return `${name} = ${low}`;
    this.#at += 1;
    return `${name} ${low} TO ${number("filters", this.#value().text)}`;
  }
}

/** The `filters` subset → a Meilisearch expression. @throws AlgoliaError 400 */
function parseFilters(text: string): string {
  if (text.length > ALGOLIA_LIMITS.maxFiltersLength)
    throw new AlgoliaError(400, `filters must be at most ${ALGOLIA_LIMITS.maxFiltersLength} characters`);
  const tokens = tokenize(text);
  if (tokens.length === 0) throw new AlgoliaError(400, "filters: empty expression");
  return new FilterParser(tokens).parse();
}
