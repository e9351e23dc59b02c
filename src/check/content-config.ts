import { readFileSync, statSync } from "node:fs";
import * as z from "zod/v4";
import { FACETS, type Facet } from "../document-types.js";
import { normaliseFacetValue } from "../text/normalise-facet-value.js";
import { errorOffset, JsonPositions } from "../text/json-positions.js";
import type { Finding } from "./findings.js";
import { LINT_RULES, type LintRuleId, type RuleSetting } from "./rules.js";

/** The configuration file's name, at the top of the content folder. It is not a record file. */
export const CONFIG_FILE = "postindex.config.json";

/** Fields `missing-recommended-field` may ask for. */
export const RECOMMENDABLE_FIELDS = [
  "summary",
  "difficulty",
  "entities",
  "intro",
  "stack",
  "tools",
  "last_reviewed",
] as const;
export type RecommendableField = (typeof RECOMMENDABLE_FIELDS)[number];

const setting = z.enum(["error", "warning", "off"]);
const aliasMap = z.record(z.string(), z.string());
/** A rule's setting: its severity alone, or an object with its severity and options. */
const rule = <T extends z.ZodRawShape>(options: T) =>
  z
    .union([setting, z.strictObject({ severity: setting.optional(), ...options })], {
      error: 'expected "error", "warning", "off", or an object with "severity" and the rule\'s options',
    })
    .optional();

/**
 * `postindex.config.json`: aliases per facet and per entity type (`"k8s": "kubernetes"`: the
 * variant, then the value meant), and the content lints' settings. Unknown keys are errors, so a
 * misspelt setting never silently does nothing.
 */
const configSchema = z.strictObject({
  $schema: z.string().optional(),
  aliases: z
    .strictObject({
      stack: aliasMap.optional(),
      tools: aliasMap.optional(),
      difficulty: aliasMap.optional(),
      scenario: aliasMap.optional(),
      code_language: aliasMap.optional(),
      /** Per entity type: `{"tool": {"k8s": "kubernetes"}}`. */
      entities: z.record(z.string(), aliasMap).optional(),
    })
    .optional(),
  lints: z
    .strictObject({
      "near-duplicate-value": rule({ facets: z.array(z.enum(FACETS)).optional(), entities: z.boolean().optional() }),
      "single-use-value": rule({ facets: z.array(z.enum(FACETS)).optional() }),
      "orphan-post": rule({}),
      "stale-review": rule({ maxAgeDays: z.number().int().positive().optional() }),
      "missing-recommended-field": rule({ fields: z.array(z.enum(RECOMMENDABLE_FIELDS)).optional() }),
    })
    .optional(),
});

/** Declared aliases, normalised like the values they replace: variant → value meant. */
export interface AliasTable {
  facets: ReadonlyMap<Facet, ReadonlyMap<string, string>>;
  /** Per entity type. */
  entities: ReadonlyMap<string, ReadonlyMap<string, string>>;
  /** True when no alias is declared at all (the scan then skips applying them). */
  empty: boolean;
}

/** Each lint's severity and options, defaults filled in. */
export interface LintSettings {
  severity: Record<LintRuleId, RuleSetting>;
  nearDuplicate: { facets: readonly Facet[]; entities: boolean };
  singleUse: { facets: readonly Facet[] };
  staleReview: { maxAgeDays: number };
  missingFields: readonly RecommendableField[];
}

export interface ContentConfig {
  aliases: AliasTable;
  lints: LintSettings;
}

/** A content folder's configuration as read: whether the file exists, what it says, what is wrong with it. */
export interface LoadedConfig {
  found: boolean;
  config: ContentConfig;
  /** Errors in the file, as findings of rule `invalid-config` (file, line when known, field). */
  problems: Finding[];
}

/** No alias declared: what a folder without (or with an invalid) postindex.config.json applies. */
export const NO_ALIASES: AliasTable = Object.freeze({ facets: new Map(), entities: new Map(), empty: true });

function defaultLintSettings(): LintSettings {
  return {
    severity: Object.fromEntries(LINT_RULES.map((id) => [id, "warning"])) as Record<LintRuleId, RuleSetting>,
    nearDuplicate: { facets: FACETS, entities: true },
    singleUse: { facets: ["stack", "tools", "scenario", "code_language"] },
    staleReview: { maxAgeDays: 365 },
    missingFields: ["summary", "difficulty", "entities"],
  };
}

/**
 * Reads and validates a configuration file's text. Every problem is reported (zod lists them all),
 * each with the field's dotted path and, when it can be found, its line; an invalid file yields no
 * aliases and the default lint settings.
 */
export function parseContentConfig(text: string): { config: ContentConfig; problems: Finding[] } {
  const fallback = { aliases: NO_ALIASES, lints: defaultLintSettings() };
  let raw: unknown;
  try {
    raw = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return {
      config: fallback,
      problems: [configProblem(null, `not valid JSON: ${message}`, lineOfPosition(text, message))],
    };
  }
  const parsed = configSchema.safeParse(raw);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => {
      const field = issue.path.map(String).join(".");
      return configProblem(field === "" ? null : field, issue.message, lineOfKey(text, issue.path.at(-1)));
    });
    return { config: fallback, problems };
  }
  const problems: Finding[] = [];
  const aliases = resolveAliases(parsed.data.aliases ?? {}, text, problems);
  if (problems.length > 0) return { config: fallback, problems };
  return { config: { aliases, lints: resolveLints(parsed.data.lints ?? {}) }, problems };
}

type ParsedConfig = z.infer<typeof configSchema>;

function resolveAliases(declared: NonNullable<ParsedConfig["aliases"]>, text: string, problems: Finding[]): AliasTable {
  const facets = new Map<Facet, Map<string, string>>();
  for (const facet of FACETS) {
    const map = declared[facet];
    if (map !== undefined) facets.set(facet, aliasMapOf(map, `aliases.${facet}`, text, problems));
  }
  const entities = new Map<string, Map<string, string>>();
  for (const [type, map] of Object.entries(declared.entities ?? {})) {
    const key = normaliseFacetValue(type);
    if (key === "") {
      problems.push(
        configProblem(`aliases.entities.${type}`, "an entity type must not be empty", lineOfKey(text, type)),
      );
      continue;
    }
    entities.set(key, aliasMapOf(map, `aliases.entities.${type}`, text, problems));
  }
  const empty = [...facets.values(), ...entities.values()].every((map) => map.size === 0);
  return { facets, entities, empty };
}

/** One facet's (or entity type's) aliases, normalised and checked: no empty value, no chain, no loop. */
function aliasMapOf(
  map: Record<string, string>,
  where: string,
  text: string,
  problems: Finding[],
): Map<string, string> {
  const out = new Map<string, string>();
  for (const [variant, meant] of Object.entries(map)) {
    const from = normaliseFacetValue(variant);
    const to = normaliseFacetValue(meant);
    const field = `${where}.${variant}`;
    const line = lineOfKey(text, variant);
    if (from === "" || to === "") problems.push(configProblem(field, "an alias and its value must not be empty", line));
    else if (from === to) problems.push(configProblem(field, `"${variant}" is an alias of itself`, line));
    else if (out.has(from) && out.get(from) !== to) {
      problems.push(configProblem(field, `"${from}" is declared twice, as "${out.get(from)}" and as "${to}"`, line));
    } else out.set(from, to);
  }
  for (const [from, to] of out) {
    if (out.has(to)) {
      problems.push(
        configProblem(
          `${where}.${from}`,
          `"${from}" → "${to}", but "${to}" is itself an alias of "${out.get(to)}": write "${from}": "${out.get(to)}"`,
          lineOfKey(text, from),
        ),
      );
    }
  }
  return out;
}

function resolveLints(declared: NonNullable<ParsedConfig["lints"]>): LintSettings {
  const settings = defaultLintSettings();
  for (const id of LINT_RULES) {
    const value = declared[id];
    if (value === undefined) continue;
    settings.severity[id] = typeof value === "string" ? value : (value.severity ?? "warning");
  }
  const near = declared["near-duplicate-value"];
  if (typeof near === "object") {
    settings.nearDuplicate = { facets: near.facets ?? settings.nearDuplicate.facets, entities: near.entities ?? true };
  }
  const single = declared["single-use-value"];
  if (typeof single === "object" && single.facets !== undefined) settings.singleUse = { facets: single.facets };
  const stale = declared["stale-review"];
  if (typeof stale === "object" && stale.maxAgeDays !== undefined)
    settings.staleReview = { maxAgeDays: stale.maxAgeDays };
  const missing = declared["missing-recommended-field"];
  if (typeof missing === "object" && missing.fields !== undefined) settings.missingFields = missing.fields;
  return settings;
}

function configProblem(field: string | null, message: string, line: number | null): Finding {
  return { rule: "invalid-config", severity: "error", file: CONFIG_FILE, line, id: null, field, message };
}

/** The 1-based line of the first `"key"` in the text: where an editor looks for the field. */
function lineOfKey(text: string, key: PropertyKey | undefined): number | null {
  if (typeof key !== "string") return null;
  const at = text.indexOf(JSON.stringify(key));
  return at < 0 ? null : new JsonPositions(text).lineAt(at);
}

/** The line a JSON.parse error points at, when its message says where. */
function lineOfPosition(text: string, message: string): number | null {
  const at = errorOffset(text, message);
  return at === undefined ? null : new JsonPositions(text).lineAt(at);
}

interface CachedConfig {
  stamp: string;
  loaded: LoadedConfig;
}

const cache = new Map<string, CachedConfig>();
/** The last valid aliases per folder: a watcher keeps applying them while the file is broken. */
const lastGoodAliases = new Map<string, AliasTable>();

/**
 * The configuration of the content folder `dir` (absolute), read again only when the file's
 * `mtime:size` changed, so the scan and each watched file's evaluation can ask for it freely. A
 * missing file is the default configuration (no aliases). While the file is invalid the folder's
 * last valid aliases in this process stay in force (a half-saved edit never renames every value in
 * the index); a fresh process, like `check`, applies none.
 */
export function loadContentConfig(dir: string): LoadedConfig {
  const file = `${dir}/${CONFIG_FILE}`;
  let stamp: string;
  try {
    const info = statSync(file);
    stamp = info.isFile() ? `${info.mtimeMs}:${info.size}` : "absent";
  } catch {
    stamp = "absent";
  }
  const cached = cache.get(dir);
  if (cached !== undefined && cached.stamp === stamp) return cached.loaded;
  let loaded: LoadedConfig;
  if (stamp === "absent") {
    loaded = { found: false, config: { aliases: NO_ALIASES, lints: defaultLintSettings() }, problems: [] };
  } else {
    loaded = readConfigFile(file);
  }
  if (loaded.problems.length === 0) lastGoodAliases.set(dir, loaded.config.aliases);
  else {
    const lastGood = lastGoodAliases.get(dir);
    if (lastGood !== undefined) loaded = { ...loaded, config: { ...loaded.config, aliases: lastGood } };
  }
  cache.set(dir, { stamp, loaded });
  return loaded;
}

function readConfigFile(file: string): LoadedConfig {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const config = { aliases: NO_ALIASES, lints: defaultLintSettings() };
    return { found: true, config, problems: [configProblem(null, `cannot be read: ${message}`, null)] };
  }
  return { found: true, ...parseContentConfig(text) };
}
