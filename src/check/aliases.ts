import { scenarioFromOutline } from "../document.js";
import type { Facet } from "../document-types.js";
import type { ArticleRecord } from "../records/schema.js";
import type { AliasTable } from "./content-config.js";

/** One value an alias replaced in a record: the `alias-used` side of `near-duplicate-value`. */
export interface AliasReplacement {
  /** `stack`, `tools`, …, or `entities.<type>`. */
  field: string;
  from: string;
  to: string;
}

/**
 * The records' `meta` whose payload scenario {@link applyAliases} set from the outline's context
 * (the value meant by an alias written there): their lint findings name the outline, where the
 * author wrote it.
 */
const outlineScenarios = new WeakSet<object>();

/** Whether a record's scenario is written in its outline: no payload scenario, or one an alias set from the outline. */
export function isScenarioInOutline(meta: Pick<ArticleRecord["meta"], "payload">): boolean {
  return meta.payload?.scenario === undefined || outlineScenarios.has(meta);
}

/**
 * Replaces, in a validated record, every facet value and entity name that is a declared alias by
 * the value meant (`k8s` → `kubernetes`), keeping lists free of duplicates in their first
 * occurrence's place, so the facets count one value and related posts share one entity.
 * Changes the record in place (the normaliser built it afresh) and returns what it replaced.
 */
export function applyAliases(record: ArticleRecord, aliases: AliasTable): AliasReplacement[] {
  const replaced: AliasReplacement[] = [];
  if (aliases.empty) return replaced;
  const meta = record.meta;
  const { facets } = aliases;
  const stack = facets.get("stack");
  if (stack !== undefined && meta.stack !== undefined) meta.stack = mapList(meta.stack, stack, "stack", replaced);
  const tools = facets.get("tools");
  if (tools !== undefined && meta.tools !== undefined) meta.tools = mapList(meta.tools, tools, "tools", replaced);
  if (meta.difficulty !== undefined) meta.difficulty = mapOne(meta.difficulty, facets, "difficulty", replaced);
  if (meta.code_language !== undefined)
    meta.code_language = mapOne(meta.code_language, facets, "code_language", replaced);
  const payload = meta.payload;
  if (payload?.scenario !== undefined) payload.scenario = mapOne(payload.scenario, facets, "scenario", replaced);
  else if (meta.ai_outline?.context !== undefined) {
    // The scenario comes from the outline's context: an alias there names the scenario meant. It
    // is set as the payload's scenario, which is read first; the outline keeps the author's text
    // (it is searched and shown as written).
    const scenario = scenarioFromOutline(meta.ai_outline.context);
    if (scenario !== null) {
      const meant = mapOne(scenario, facets, "scenario", replaced);
      if (meant !== scenario) {
        meta.payload = { ...payload, scenario: meant };
        outlineScenarios.add(meta);
      }
    }
  }
  if (meta.entities !== undefined && aliases.entities.size > 0) {
    let changed = false;
    for (const entity of meta.entities) {
      const to = aliases.entities.get(entity.type)?.get(entity.name);
      if (to === undefined) continue;
      replaced.push({ field: `entities.${entity.type}`, from: entity.name, to });
      entity.name = to;
      changed = true;
    }
    if (changed) {
      const seen = new Set<string>();
      meta.entities = meta.entities.filter((entity) => {
        const key = `${entity.type}:${entity.name}`;
        if (seen.has(key)) return false;
        seen.add(key);
        return true;
      });
    }
  }
  return replaced;
}

function mapOne(value: string, facets: AliasTable["facets"], facet: Facet, replaced: AliasReplacement[]): string {
  const to = facets.get(facet)?.get(value);
  if (to === undefined) return value;
  replaced.push({ field: facet, from: value, to });
  return to;
}

function mapList(
  list: string[],
  map: ReadonlyMap<string, string>,
  field: Facet,
  replaced: AliasReplacement[],
): string[] {
  let changed = false;
  for (const value of list) {
    if (map.has(value)) {
      changed = true;
      break;
    }
  }
  if (!changed) return list;
  const seen = new Set<string>();
  const out: string[] = [];
  for (const value of list) {
    const to = map.get(value);
    if (to !== undefined) replaced.push({ field, from: value, to });
    const meant = to ?? value;
    if (seen.has(meant)) continue;
    seen.add(meant);
    out.push(meant);
  }
  return out;
}
