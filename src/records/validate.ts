import type * as z from "zod/v4";
import { REQUIRED_FIELDS, recordSchema, type ArticleRecord } from "./schema.js";
import { isPlainObject } from "./normalise-values.js";

/** A field that is wrong, named as a dotted path (`meta.view_count`, `meta.stack.2`). */
export interface FieldProblem {
  field: string;
  message: string;
}

export type ValidationResult =
  { ok: true; record: ArticleRecord; warnings: FieldProblem[] } | { ok: false; problem: FieldProblem };

/** Rounds of dropping invalid optional fields before giving up (zod reports all issues per round). */
const MAX_ROUNDS = 4;

/**
 * Validates a normalised record. An invalid required field (`id`, `title`, `meta.revision.status`)
 * rejects it; any other invalid field is dropped (an invalid list item or entity alone) and
 * reported as a warning, so one odd value never costs an editor the whole article.
 */
export function validateRecord(normalised: unknown): ValidationResult {
  if (!isPlainObject(normalised)) {
    return { ok: false, problem: { field: "", message: `a record must be a JSON object, got ${kindOf(normalised)}` } };
  }
  // The normaliser built this object afresh, so dropping fields from it in place is safe.
  const candidate = normalised;
  const warnings: FieldProblem[] = [];
  for (let round = 0; round < MAX_ROUNDS; round += 1) {
    const parsed = recordSchema.safeParse(candidate, { reportInput: true });
    if (parsed.success) return { ok: true, record: parsed.data, warnings };
    const fatal = parsed.error.issues.find((issue) => requiredFieldOf(issue.path) !== undefined);
    if (fatal) return { ok: false, problem: describeRequired(fatal) };
    const dropped = dropInvalidFields(candidate, parsed.error.issues);
    warnings.push(...dropped);
  }
  return { ok: false, problem: { field: "", message: "the record has too many invalid fields" } };
}

function requiredFieldOf(path: readonly PropertyKey[]): string | undefined {
  const dotted = path.map(String).join(".");
  return REQUIRED_FIELDS.find(
    (field) => field === dotted || field.startsWith(`${dotted}.`) || dotted.startsWith(`${field}.`),
  );
}

function describeRequired(issue: z.core.$ZodIssue): FieldProblem {
  const field = requiredFieldOf(issue.path) ?? issue.path.join(".");
  const missing = issue.code === "invalid_type" && issue.input === undefined;
  return { field, message: missing ? `${label(field)} is missing` : `${label(field)}: ${describeIssue(issue)}` };
}

/** Removes each invalid optional value: the array element holding it, else the object key. */
function dropInvalidFields(record: Record<string, unknown>, issues: readonly z.core.$ZodIssue[]): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const targets = new Map<string, PropertyKey[]>();
  for (const issue of issues) {
    const target = dropTarget(issue.path);
    const field = target.map(String).join(".");
    if (targets.has(field)) continue;
    targets.set(field, target);
    problems.push({ field, message: `${describeIssue(issue)}; the value was left out` });
  }
  // Deepest and highest indexes first, so removing one target never shifts another.
  const ordered = [...targets.values()].sort(compareTargetsForRemoval);
  for (const target of ordered) removeAt(record, target);
  return problems;
}

function dropTarget(path: readonly PropertyKey[]): PropertyKey[] {
  const firstIndex = path.findIndex((segment) => typeof segment === "number");
  return firstIndex >= 0 ? path.slice(0, firstIndex + 1) : [...path];
}

function compareTargetsForRemoval(a: PropertyKey[], b: PropertyKey[]): number {
  return b.length - a.length || lastIndex(b) - lastIndex(a);
}

/** The array index a path ends with, or -1 when it ends with a key. */
function lastIndex(path: PropertyKey[]): number {
  const last = path.at(-1);
  return typeof last === "number" ? last : -1;
}

function removeAt(root: unknown, path: readonly PropertyKey[]): void {
  let parent: unknown = root;
  for (const segment of path.slice(0, -1)) {
    parent = (parent as Record<PropertyKey, unknown> | undefined)?.[segment];
  }
  const key = path.at(-1);
  if (key === undefined) return;
  if (Array.isArray(parent) && typeof key === "number") parent.splice(key, 1);
  else if (isPlainObject(parent)) delete parent[String(key)];
}

function describeIssue(issue: z.core.$ZodIssue): string {
  if (issue.code === "invalid_type") return `expected ${article(issue.expected)}, got ${kindOf(issue.input)}`;
  if (issue.code === "invalid_format") return `expected a date like 2024-01-31, got ${JSON.stringify(issue.input)}`;
  if (issue.code === "too_small" || issue.code === "too_big") return issue.message.toLowerCase();
  return issue.message;
}

const LABELS: Record<string, string> = { id: "id", title: "title", "meta.revision.status": "revision status" };

function label(field: string): string {
  return LABELS[field] ?? field;
}

function article(expected: string): string {
  const words: Record<string, string> = {
    string: "text",
    number: "a number",
    boolean: "true or false",
    array: "a list",
    object: "a group of fields",
  };
  return words[expected] ?? expected;
}

/** How an editor would name the kind of a JSON value. */
function kindOf(value: unknown): string {
  if (value === undefined) return "nothing";
  if (value === null) return "null";
  if (Array.isArray(value)) return "a list";
  if (typeof value === "string") return value.length > 40 ? "text" : `the text ${JSON.stringify(value)}`;
  if (typeof value === "number") return `the number ${value}`;
  if (typeof value === "boolean") return `${value}`;
  return "a group of fields";
}
