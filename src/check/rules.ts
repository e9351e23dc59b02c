/** How much a finding weighs: an `error` fails `check`; a `warning` fails it only under `--strict` or past `--max-warnings`. */
export type Severity = "error" | "warning";

/** A rule's configured severity: `off` turns a lint off. */
export type RuleSetting = Severity | "off";

/** The record rules (what `check` always reported) and the content lints (`--lint`, or a config file). */
export const RECORD_RULES = ["rejected-record", "invalid-field", "duplicate-id", "invalid-config"] as const;
export const LINT_RULES = [
  "near-duplicate-value",
  "single-use-value",
  "orphan-post",
  "stale-review",
  "missing-recommended-field",
] as const;

export type RecordRuleId = (typeof RECORD_RULES)[number];
export type LintRuleId = (typeof LINT_RULES)[number];
export type RuleId = RecordRuleId | LintRuleId;

/** What a rule is, for SARIF's rule list, JUnit failure types and the step summary. */
export interface RuleDescription {
  id: RuleId;
  /** A few words: the GitHub annotation title and SARIF's short description. */
  title: string;
  /** What the rule finds and how to fix it: SARIF's help text. */
  help: string;
  defaultSeverity: Severity;
}

/** Every rule `check` can report, in a fixed order (SARIF refers to rules by their index in it). */
export const RULES: readonly RuleDescription[] = [
  {
    id: "rejected-record",
    title: "Rejected record",
    help: "The record cannot be indexed: its text is not JSON (or not UTF-8), or it has no id, no title or no meta.revision.status, or a required field holds a value that cannot be normalised. Fix the record; until then the post is missing from the site (docs/records.md lists the accepted spellings).",
    defaultSeverity: "error",
  },
  {
    id: "invalid-field",
    title: "Invalid field left out",
    help: "An optional field holds a value of the wrong kind (a word where a number belongs, a date that is not YYYY-MM-DD). The record is indexed without that field; correct the value to keep it.",
    defaultSeverity: "warning",
  },
  {
    id: "duplicate-id",
    title: "Duplicate id",
    help: "Another file, whose path sorts first, holds a record with the same id; that copy is indexed and this one is not. Give one of them another id or delete the stale copy.",
    defaultSeverity: "warning",
  },
  {
    id: "invalid-config",
    title: "Invalid postindex.config.json",
    help: "postindex.config.json in the content folder could not be read or does not match its schema (aliases per facet and entity type, lint settings). Until it is fixed no alias is applied.",
    defaultSeverity: "error",
  },
  {
    id: "near-duplicate-value",
    title: "Near-duplicate value",
    help: "Two or more facet values or entity names in the folder differ only in letter case, punctuation, spacing or a plural ending, or one is a declared alias of the other: search facets count them apart and related posts do not connect them. Write the suggested value, or declare the variant as an alias in postindex.config.json.",
    defaultSeverity: "warning",
  },
  {
    id: "single-use-value",
    title: "Facet value used once",
    help: "Only one post in the folder uses this facet value; a value nobody else uses is usually a typo or a one-off spelling. Use a value other posts use, or declare an alias.",
    defaultSeverity: "warning",
  },
  {
    id: "orphan-post",
    title: "Orphan post",
    help: "No other post shares an entity with this one, so its similar posts are only the fallback (recent posts of the same stack). Add the entities (stack, area, problem, tool) the post is about, spelled as other posts spell them.",
    defaultSeverity: "warning",
  },
  {
    id: "stale-review",
    title: "Stale review",
    help: "meta.revision.last_reviewed is older than the configured age (lints.stale-review.maxAgeDays, 365 days by default). Review the post and update the date.",
    defaultSeverity: "warning",
  },
  {
    id: "missing-recommended-field",
    title: "Missing recommended field",
    help: "The post lacks a field search and related posts rely on (by default meta.summary, meta.difficulty and meta.entities). It is indexed, but shows no snippet summary, cannot be filtered by difficulty, or has no related posts of its own.",
    defaultSeverity: "warning",
  },
];

const BY_ID = new Map(RULES.map((rule) => [rule.id, rule]));

/** The description of a rule id. */
export function ruleOf(id: RuleId): RuleDescription {
  return BY_ID.get(id) as RuleDescription;
}
