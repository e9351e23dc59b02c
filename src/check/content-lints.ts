import { scenarioOf } from "../document.js";
import { isScenarioInOutline } from "./aliases.js";
import type { Facet } from "../document-types.js";
import type { CheckOutcome, RecordFacts } from "../records/check-outcome.js";
import type { AliasTable, LintSettings, RecommendableField } from "./content-config.js";
import type { Finding } from "./findings.js";
import { foldValue } from "./fold-value.js";
import type { LintRuleId, Severity } from "./rules.js";

/** Where a post was read. */
interface Site {
  file: string;
  line: number | null;
  item: number | null;
  id: string;
  /** Set where the post's scenario is written in its outline's context (see `isScenarioInOutline`). */
  scenarioInOutline?: boolean;
}

/** One value of a facet (or entity name of a type) across the folder: how many posts use it, and the first few. */
interface ValueUse {
  value: string;
  count: number;
  sites: Site[];
}

/** Sites kept per value: what a finding names, and how many annotations one variant can get. */
const MAX_SITES = 20;
/** Posts (file, and line for NDJSON) a near-duplicate's message names per variant. */
const FILES_NAMED = 3;

const FIELD_OF_FACET: Record<Facet, string> = {
  stack: "meta.stack",
  tools: "meta.tools",
  difficulty: "meta.difficulty",
  // Or OUTLINE_SCENARIO_FIELD, the contract's fallback, for a post without a payload scenario.
  scenario: "meta.payload.scenario",
  code_language: "meta.code_language",
};
/** Where a post's scenario is written when it has no payload scenario. */
const OUTLINE_SCENARIO_FIELD = "meta.ai_outline.context";

const FIELD_OF_RECOMMENDED: Record<RecommendableField, string> = {
  summary: "meta.summary",
  difficulty: "meta.difficulty",
  entities: "meta.entities",
  intro: "intro",
  stack: "meta.stack",
  tools: "meta.tools",
  last_reviewed: "meta.revision.last_reviewed",
};

/**
 * The content lints, fed each scanned record as `check` reads it (one pass: nothing is read
 * twice) and asked for their findings at the end. Only indexed posts count: what readers see.
 *
 * Per post the work is a few map look-ups (its facet values and entities); folder-wide rules —
 * near-duplicates, values used once, orphans — are decided in {@link finish} over the distinct
 * values, not the posts.
 */
export class ContentLints {
  readonly #settings: LintSettings;
  readonly #aliases: AliasTable;
  /** `last_reviewed` before this (YYYY-MM-DD) is stale. */
  readonly #staleBefore: string;
  readonly #facets = new Map<Facet, Map<string, ValueUse>>();
  readonly #entities = new Map<string, Map<string, ValueUse>>();
  /** Posts with entities none of which another post had when they were read: the possible orphans. */
  readonly #candidates: { site: Site; uses: ValueUse[] }[] = [];
  /** Posts with entities. */
  #posts = 0;
  /** One post's entity uses, reused from post to post. */
  readonly #scratch: ValueUse[] = [];
  readonly #findings: Finding[] = [];
  readonly #countedFacets: readonly Facet[];
  readonly #countEntities: boolean;

  constructor(settings: LintSettings, aliases: AliasTable, today: Date) {
    this.#settings = settings;
    this.#aliases = aliases;
    const cutoff = new Date(today.getTime() - settings.staleReview.maxAgeDays * 86_400_000);
    this.#staleBefore = cutoff.toISOString().slice(0, 10);
    const facets = new Set<Facet>();
    if (this.#on("near-duplicate-value")) for (const facet of settings.nearDuplicate.facets) facets.add(facet);
    if (this.#on("single-use-value")) for (const facet of settings.singleUse.facets) facets.add(facet);
    this.#countedFacets = [...facets];
    for (const facet of facets) this.#facets.set(facet, new Map());
    this.#countEntities =
      this.#on("orphan-post") || (this.#on("near-duplicate-value") && settings.nearDuplicate.entities);
  }

  #on(rule: LintRuleId): boolean {
    return this.#settings.severity[rule] !== "off";
  }

  #severity(rule: LintRuleId): Severity {
    return this.#settings.severity[rule] as Severity;
  }

  /** Takes one scanned record; anything but an indexed post is passed over. */
  observe(outcome: CheckOutcome): void {
    if (outcome.kind !== "indexed") return;
    const { record } = outcome;
    // The outcome itself stands for the post's site; a copy is taken only where one is kept.
    const site: Site = outcome;
    const meta = record.meta;
    for (const facet of this.#countedFacets) {
      const uses = this.#facets.get(facet) as Map<string, ValueUse>;
      if (facet === "stack" || facet === "tools") {
        const list = meta[facet];
        if (list !== undefined) for (const value of list) count(uses, value, site);
      } else if (facet === "scenario") {
        const value = scenarioOf(meta);
        if (value === null) continue;
        count(uses, value, isScenarioInOutline(meta) ? { ...copySite(site), scenarioInOutline: true } : site);
      } else {
        const value = meta[facet];
        if (value !== undefined) count(uses, value, site);
      }
    }
    if (this.#countEntities && meta.entities !== undefined && meta.entities.length > 0) {
      const uses = this.#scratch;
      uses.length = 0;
      let shared = false;
      for (const entity of meta.entities) {
        let names = this.#entities.get(entity.type);
        if (names === undefined) {
          names = new Map();
          this.#entities.set(entity.type, names);
        }
        const use = count(names, entity.name, site);
        if (use.count > 1) shared = true;
        uses.push(use);
      }
      // Counts only grow: a post sharing an entity already can never be an orphan, so only the others are kept.
      if (!shared) this.#candidates.push({ site: copySite(site), uses: [...uses] });
      this.#posts += 1;
    }
    if (this.#on("stale-review")) {
      const reviewed = meta.revision.last_reviewed;
      if (reviewed !== undefined && reviewed < this.#staleBefore) {
        this.#add(
          "stale-review",
          site,
          "meta.revision.last_reviewed",
          `last reviewed ${reviewed}, more than ${this.#settings.staleReview.maxAgeDays} days ago`,
        );
      }
    }
    if (this.#on("missing-recommended-field")) {
      for (const field of this.#settings.missingFields) {
        if (isMissing(record, field)) {
          this.#add(
            "missing-recommended-field",
            site,
            FIELD_OF_RECOMMENDED[field],
            `${FIELD_OF_RECOMMENDED[field]} is missing (recommended)`,
          );
        }
      }
    }
  }

  #add(rule: LintRuleId, site: Site, field: string | null, message: string): void {
    const finding: Finding = {
      rule,
      severity: this.#severity(rule),
      file: site.file,
      line: site.line,
      id: site.id,
      field: field === FIELD_OF_FACET.scenario && site.scenarioInOutline === true ? OUTLINE_SCENARIO_FIELD : field,
      message,
    };
    if (site.item !== null) finding.item = site.item;
    this.#findings.push(finding);
  }

  /** Every finding, per-post ones in reading order, then the folder-wide ones. */
  finish(): Finding[] {
    const findings = this.#findings;
    const nearDuplicates = new Set<ValueUse>();
    if (this.#on("near-duplicate-value")) {
      for (const facet of this.#settings.nearDuplicate.facets) {
        const uses = this.#facets.get(facet) as Map<string, ValueUse>;
        this.#nearDuplicates(facet, FIELD_OF_FACET[facet], uses, this.#aliases.facets.get(facet), nearDuplicates);
      }
      if (this.#settings.nearDuplicate.entities) {
        for (const [type, names] of this.#entities) {
          this.#nearDuplicates(
            `entity ${type}`,
            "meta.entities",
            names,
            this.#aliases.entities.get(type),
            nearDuplicates,
          );
        }
      }
    }
    if (this.#on("single-use-value")) {
      for (const facet of this.#settings.singleUse.facets) {
        for (const use of (this.#facets.get(facet) as Map<string, ValueUse>).values()) {
          if (use.count !== 1 || nearDuplicates.has(use)) continue;
          this.#add(
            "single-use-value",
            use.sites[0] as Site,
            FIELD_OF_FACET[facet],
            `${facet} "${use.value}" is used by no other post (a typo?)`,
          );
        }
      }
    }
    if (this.#on("orphan-post") && this.#posts > 1) {
      for (const post of this.#candidates) {
        if (post.uses.every((use) => use.count === 1)) {
          this.#add(
            "orphan-post",
            post.site,
            "meta.entities",
            `no other post shares an entity with this one (${post.uses.map((use) => `"${use.value}"`).join(", ")}), so its similar posts are the fallback`,
          );
        }
      }
    }
    return findings.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : (a.line ?? 0) - (b.line ?? 0)));
  }

  /**
   * Groups one facet's values by their folded spelling (a declared alias's variants fold to its
   * value's group); each group of two or more values yields a finding for every post using a value
   * other than the suggested one — the alias target when the group has one, else the most used.
   */
  #nearDuplicates(
    label: string,
    field: string,
    uses: ReadonlyMap<string, ValueUse>,
    aliases: ReadonlyMap<string, string> | undefined,
    found: Set<ValueUse>,
  ): void {
    const aliasFolds = new Map<string, string>();
    const targets = new Set<string>();
    for (const [variant, meant] of aliases ?? []) {
      aliasFolds.set(foldValue(variant), foldValue(meant));
      targets.add(meant);
    }
    const groups = new Map<string, ValueUse[]>();
    for (const use of uses.values()) {
      const folded = foldValue(use.value);
      const key = aliasFolds.get(folded) ?? folded;
      const group = groups.get(key);
      if (group === undefined) groups.set(key, [use]);
      else group.push(use);
    }
    for (const group of groups.values()) {
      if (group.length < 2) continue;
      group.sort(
        (a, b) =>
          Number(targets.has(b.value)) - Number(targets.has(a.value)) ||
          b.count - a.count ||
          a.value.length - b.value.length ||
          (a.value < b.value ? -1 : 1),
      );
      const suggested = group[0] as ValueUse;
      const described = group.map(describeUse).join(", ");
      for (const use of group) {
        found.add(use);
        if (use === suggested) continue;
        const message = `${label} "${use.value}" looks like "${suggested.value}": the folder spells it ${described}; write "${suggested.value}"${targets.has(suggested.value) ? "" : " (or declare an alias in postindex.config.json)"}`;
        for (const site of use.sites) this.#add("near-duplicate-value", site, field, message);
      }
    }
  }
}

function count(uses: Map<string, ValueUse>, value: string, site: Site): ValueUse {
  let use = uses.get(value);
  if (use === undefined) {
    use = { value, count: 0, sites: [] };
    uses.set(value, use);
  }
  use.count += 1;
  if (use.sites.length < MAX_SITES) use.sites.push(copySite(site));
  return use;
}

function copySite(site: Site): Site {
  const copy: Site = { file: site.file, line: site.line, item: site.item, id: site.id };
  if (site.scenarioInOutline === true) copy.scenarioInOutline = true;
  return copy;
}

function describeUse(use: ValueUse): string {
  const named = use.sites
    .slice(0, FILES_NAMED)
    .map((site) => (site.line === null ? site.file : `${site.file}:${site.line}`));
  const more = use.count > named.length ? ", …" : "";
  return `"${use.value}" (${use.count} ${use.count === 1 ? "post" : "posts"}: ${named.join(", ")}${more})`;
}

const blank = (text: string | undefined): boolean => text === undefined || text.trim() === "";
const none = (list: readonly unknown[] | undefined): boolean => list === undefined || list.length === 0;

const IS_MISSING: Record<RecommendableField, (record: RecordFacts) => boolean> = {
  summary: (record) => blank(record.meta.summary),
  intro: (record) => blank(record.intro),
  difficulty: (record) => blank(record.meta.difficulty),
  entities: (record) => none(record.meta.entities),
  stack: (record) => none(record.meta.stack),
  tools: (record) => none(record.meta.tools),
  last_reviewed: (record) => record.meta.revision.last_reviewed === undefined,
};

function isMissing(record: RecordFacts, field: RecommendableField): boolean {
  return IS_MISSING[field](record);
}
