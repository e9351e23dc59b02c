import { normaliseFacetValue } from "../text/normalise-facet-value.js";
import { tryParseJson } from "../text/parse-json.js";
import { normaliseRelatedControls } from "../related/editorial-fields.js";
import {
  isPlainObject,
  readDate,
  readFlag,
  readKeys,
  readKeyValues,
  readLineText,
  readList,
  readNumber,
  readText,
} from "./normalise-values.js";

/**
 * Reduces one exported record, in any spelling the input contract accepts, to the canonical
 * shape that `recordSchema` validates. Only known fields are copied, so unknown and hostile keys
 * (`__proto__`, `constructor`) never travel further. Values that cannot be read are passed on
 * unchanged for validation to report against their field.
 * @see docs/records.md
 */
export function normaliseRecord(raw: unknown): unknown {
  const top = readKeys(raw);
  if (!top) return raw;
  const meta = readKeys(top.get("meta") ?? top.get("post_meta"));
  const payload = group(meta?.get("payload"), PAYLOAD_FIELDS);
  const record: Record<string, unknown> = {};
  setDefined(record, "id", idOf(top, payload));
  setDefined(record, "title", readLineText(top.get("title")));
  setDefined(record, "site", readText(top.get("site")));
  setDefined(record, "intro", readText(top.get("intro")));
  setDefined(record, "sections", normaliseSections(top.get("sections")));
  setDefined(record, "meta", meta ? normaliseMeta(meta, payload) : top.get("meta"));
  return record;
}

/** The id {@link normaliseRecord} gives a raw record, without normalising the rest of it. */
export function normalisedIdOf(raw: unknown): unknown {
  const top = readKeys(raw);
  if (!top) return undefined;
  const meta = readKeys(top.get("meta") ?? top.get("post_meta"));
  return idOf(top, group(meta?.get("payload"), PAYLOAD_FIELDS));
}

/** The top-level `id`, else the payload's `source_id`. */
function idOf(top: ReadonlyMap<string, unknown>, payload: unknown): unknown {
  return readText(top.get("id") ?? (isPlainObject(payload) ? payload["source_id"] : undefined));
}

type FieldReader = (value: unknown) => unknown;

const facetValue: FieldReader = (value) => {
  const text = readText(value);
  return typeof text === "string" ? normaliseFacetValue(text) : text;
};

const facetList = (value: unknown): unknown => {
  const list = readList(value, { commaSeparated: true });
  return Array.isArray(list) ? uniqueFacetValues(list) : list;
};

const textList: FieldReader = (value) => readList(value);

const OUTLINE_FIELDS: Record<string, FieldReader> = {
  context: readText,
  problem: readText,
  stack: readText,
  recommended_action: readText,
};
const SCORE_FIELDS: Record<string, FieldReader> = {
  quality: readNumber,
  freshness: readNumber,
  depth: readNumber,
  clarity: readNumber,
};
const REVISION_FIELDS: Record<string, FieldReader> = {
  status: (value) => {
    const text = readText(value);
    return typeof text === "string" ? text.toLowerCase() : text;
  },
  version: readText,
  last_reviewed: readDate,
};
const FLAG_FIELDS: Record<string, FieldReader> = {
  ai_generated_style: readFlag,
  has_images: readFlag,
  image_heavy: readFlag,
  needs_human_review: readFlag,
  noindex: readFlag,
  no_related: readFlag,
};
const FLAG_ALIASES: Record<string, string> = {
  no_index: "noindex",
  do_not_index: "noindex",
  never_related: "no_related",
};
/** No other spellings: the group's keys are its fields. */
const NO_OTHER_SPELLINGS: Record<string, string> = {};
const PAYLOAD_FIELDS: Record<string, FieldReader> = {
  source_id: readText,
  generator: readText,
  paragraphs: readNumber,
  scenario: facetValue,
  seed: readNumber,
};

function normaliseMeta(meta: Map<string, unknown>, payload: unknown): Record<string, unknown> {
  const outline = group(meta.get("ai_outline"), OUTLINE_FIELDS);
  const flags = group(meta.get("flags"), FLAG_FIELDS, FLAG_ALIASES);
  return {
    topic: readText(meta.get("topic")),
    summary: readText(meta.get("summary")),
    ai_brief: readText(meta.get("ai_brief")),
    ai_outline: outline,
    stack: facetList(meta.get("stack")),
    tools: facetList(meta.get("tools")),
    difficulty: facetValue(meta.get("difficulty")),
    code_language: facetValue(meta.get("code_language")),
    reading_time: readNumber(meta.get("reading_time")),
    view_count: readNumber(meta.get("view_count")),
    score: group(meta.get("score"), SCORE_FIELDS),
    revision: group(meta.get("revision"), REVISION_FIELDS),
    reference: readText(meta.get("reference")),
    hash: readText(meta.get("hash")),
    flags,
    checklist: textList(meta.get("checklist")),
    notes: textList(meta.get("notes")),
    entities: normaliseEntities(meta.get("entities")),
    payload,
    related: normaliseRelatedControls(meta.get("related") ?? meta.get("related_posts")),
  };
}

/**
 * A key-value group with its known fields read; `aliases` maps other spellings of a field to it.
 * Unknown keys are dropped. Returns the input unchanged when it is not a group at all.
 */
function group(
  value: unknown,
  fields: Record<string, FieldReader>,
  aliases: Record<string, string> = NO_OTHER_SPELLINGS,
): unknown {
  if (value === undefined || value === null) return undefined;
  const pairs = readKeyValues(value);
  if (!(pairs instanceof Map)) return pairs;
  let byField = pairs;
  if (aliases !== NO_OTHER_SPELLINGS) {
    byField = new Map<string, unknown>();
    for (const [key, entry] of pairs) {
      const field = aliases[key] ?? key;
      if (!byField.has(field)) byField.set(field, entry);
    }
  }
  // Fields in declaration order, so that the same content always serialises (and hashes) the same.
  const out: Record<string, unknown> = {};
  for (const field in fields) {
    const entry = byField.get(field);
    if (entry !== undefined) setDefined(out, field, (fields[field] as FieldReader)(entry));
  }
  return out;
}

function normaliseSections(value: unknown): unknown {
  const read = typeof value === "string" ? tryParseJson(value) : { value };
  const sections = "value" in read ? read.value : value;
  if (!Array.isArray(sections)) return sections;
  return sections.map((section) => {
    const keys = readKeys(section);
    if (!keys) return section;
    const normalised: Record<string, unknown> = { heading: readLineText(keys.get("heading") ?? "") };
    if (keys.has("paragraphs"))
      setDefined(normalised, "paragraphs", readList(keys.get("paragraphs"), { paragraphs: true }));
    if (keys.has("items")) setDefined(normalised, "items", readList(keys.get("items")));
    return normalised;
  });
}

/** `[{name, type}]`, or the flattened `["name: x", "type: y", …]`, in any list encoding. */
function normaliseEntities(value: unknown): unknown {
  if (value === undefined || value === null) return undefined;
  const list = readList(value);
  if (!Array.isArray(list)) return list;
  const entities: unknown[] = [];
  let pending: Record<string, unknown> | undefined;
  for (const item of list) {
    if (typeof item === "string") {
      const colon = item.indexOf(":");
      const key = colon > 0 ? item.slice(0, colon).trim().toLowerCase() : "";
      const text = item.slice(colon + 1);
      if (key === "name") {
        pending = { name: facetValue(text), type: undefined };
        entities.push(pending);
      } else if (key === "type" && pending && pending["type"] === undefined) {
        pending["type"] = facetValue(text);
      } else {
        entities.push(item);
      }
      continue;
    }
    pending = undefined;
    entities.push(entityOf(item));
  }
  return uniqueEntities(entities);
}

function uniqueFacetValues(list: readonly unknown[]): unknown[] {
  const seen = new Set<string>();
  const out: unknown[] = [];
  for (const item of list) {
    const value = facetValue(item);
    if (typeof value === "string") {
      if (value === "" || seen.has(value)) continue;
      seen.add(value);
    }
    out.push(value);
  }
  return out;
}

/** One entity written as an object, normalised; anything else as it is. */
function entityOf(item: unknown): unknown {
  const keys = readKeys(item);
  return keys ? { name: facetValue(keys.get("name")), type: facetValue(keys.get("type")) } : item;
}

function uniqueEntities(entities: readonly unknown[]): unknown[] {
  const seen = new Set<string>();
  return entities.filter((entity) => isFirstOfItsKind(entity, seen));
}

/**
 * Whether an entity is kept: the first with its type and name (then noted in `seen`), or one
 * whose type or name is not text (kept for validation to report).
 */
function isFirstOfItsKind(entity: unknown, seen: Set<string>): boolean {
  if (!isPlainObject(entity) || typeof entity["name"] !== "string" || typeof entity["type"] !== "string") return true;
  const key = `${entity["type"]}:${entity["name"]}`;
  if (seen.has(key)) return false;
  seen.add(key);
  return true;
}

/**
 * For an `entities` list written as objects, where in it each entity the normaliser keeps comes
 * from (duplicates are dropped), so that a path into the normalised list (`meta.entities.2`) can
 * be found in the file; undefined for any other value (the flattened `"name: x"` form pairs items).
 */
export function entitySources(raw: unknown): number[] | undefined {
  if (!Array.isArray(raw) || !raw.every(isPlainObject)) return undefined;
  const seen = new Set<string>();
  const sources: number[] = [];
  raw.forEach((item, position) => {
    if (isFirstOfItsKind(entityOf(item), seen)) sources.push(position);
  });
  return sources;
}

/**
 * Sets `key` unless `value` is undefined. Objects are built up this way rather than built whole and
 * then stripped with `delete`, which turns a V8 object into a slow dictionary (every section lacks
 * either paragraphs or items), costing validation and serialisation on every read after.
 */
function setDefined(target: Record<string, unknown>, key: string, value: unknown): void {
  if (value !== undefined) target[key] = value;
}
