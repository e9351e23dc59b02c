import { isScenarioInOutline } from "../check/aliases.js";
import { scenarioOf } from "../document.js";
import type { ExclusionReason } from "./classify.js";
import type { RecordLocation, RecordOutcome } from "./evaluate.js";
import type { ArticleRecord } from "./schema.js";
import type { FieldProblem } from "./validate.js";

type Meta = ArticleRecord["meta"];

/**
 * What `check`'s bookkeeping reads of a valid record — the content lints (facet values, entities,
 * review date, recommended fields) and the pinned-id check (pins, `no_related`) — and nothing of
 * its body. A full {@link ArticleRecord} is one; a worker thread sends this much of each record
 * instead (see {@link factsOf}), so the structured clone stays small.
 *
 * `intro` and `meta.summary` are only ever tested for being blank: {@link factsOf} keeps a blank
 * one as it is and cuts any other to its first non-blank character.
 */
export interface RecordFacts {
  intro?: string | undefined;
  meta: Pick<Meta, "summary" | "stack" | "tools" | "difficulty" | "code_language" | "entities"> & {
    revision: Pick<Meta["revision"], "last_reviewed">;
    /** The scenario {@link scenarioOf} reads: the payload's, or where there is none the outline's context. */
    payload?: Pick<NonNullable<Meta["payload"]>, "scenario"> | undefined;
    ai_outline?: Pick<NonNullable<Meta["ai_outline"]>, "context"> | undefined;
    flags?: Pick<NonNullable<Meta["flags"]>, "no_related"> | undefined;
    related?: Pick<NonNullable<Meta["related"]>, "pinned"> | undefined;
  };
}

/**
 * A scanned record as `check`'s bookkeeping (the report, duplicate ids, pinned ids, lints) sees it.
 * Every {@link ScanOutcome} is one; what a worker thread sends back is the slim kind
 * ({@link slimOutcome}): an indexed record's facts, no record at all for an excluded one.
 */
export type CheckOutcome =
  | (RecordLocation &
      (
        | { kind: "indexed"; id: string; record: RecordFacts; warnings: FieldProblem[] }
        | { kind: "excluded"; id: string; reason: ExclusionReason; warnings: FieldProblem[] }
      ))
  | Extract<RecordOutcome, { kind: "rejected" }>
  | { kind: "duplicate"; id: string; file: string; line: number | null; item: number | null; kept: string };

/**
 * One record's outcome cut down to what `check` reads of it, so that outcomes waiting for an
 * earlier batch keep no record body alive. `facts`: whether the content lints run (else an indexed
 * record keeps only what the pinned-id check reads).
 */
export function slimOutcome(outcome: RecordOutcome, facts: boolean): CheckOutcome {
  if (outcome.kind === "rejected") return outcome;
  const { file, line, item, id, warnings } = outcome;
  return outcome.kind === "indexed"
    ? { kind: "indexed", file, line, item, id, record: factsOf(outcome.record, facts), warnings }
    : { kind: "excluded", file, line, item, id, reason: outcome.reason, warnings };
}

/** {@link RecordFacts} of a record: fields left out when the record has none, as in the record. */
function factsOf(record: ArticleRecord, all: boolean): RecordFacts {
  const { meta } = record;
  const facts: RecordFacts = { meta: { revision: {} } };
  const slim = facts.meta;
  if (meta.flags?.no_related !== undefined) slim.flags = { no_related: meta.flags.no_related };
  if (meta.related?.pinned !== undefined) slim.related = { pinned: meta.related.pinned };
  if (!all) return facts;
  if (record.intro !== undefined) facts.intro = standIn(record.intro);
  if (meta.summary !== undefined) slim.summary = standIn(meta.summary);
  if (meta.stack !== undefined) slim.stack = meta.stack;
  if (meta.tools !== undefined) slim.tools = meta.tools;
  if (meta.difficulty !== undefined) slim.difficulty = meta.difficulty;
  if (meta.code_language !== undefined) slim.code_language = meta.code_language;
  if (meta.entities !== undefined) slim.entities = meta.entities;
  if (meta.revision.last_reviewed !== undefined) slim.revision.last_reviewed = meta.revision.last_reviewed;
  const scenario = writtenScenario(meta);
  if (scenario?.writtenIn === "payload") slim.payload = { scenario: scenario.value };
  else if (scenario !== undefined) slim.ai_outline = { context: scenario.value };
  return facts;
}

/** A post's scenario as the lints read it, and the field its author wrote it in. */
export interface WrittenScenario {
  value: string;
  writtenIn: "payload" | "outline";
}

/**
 * The scenario the lints read ({@link scenarioOf}: the payload's, else the outline's context) and
 * where the author wrote it: a payload scenario that an alias set from the outline's context is
 * the outline's (with the value meant), so the lints' findings name the outline. Undefined when
 * the post has none. The one rule for both threads: `factsOf` and the worker's encoder.
 */
export function writtenScenario(meta: ArticleRecord["meta"]): WrittenScenario | undefined {
  const scenario = meta.payload?.scenario;
  if (scenario !== undefined) return { value: scenario, writtenIn: isScenarioInOutline(meta) ? "outline" : "payload" };
  const context = meta.ai_outline?.context;
  return context !== undefined && scenarioOf(meta) !== null ? { value: context, writtenIn: "outline" } : undefined;
}

/** A text as blank as the original: itself when blank, else its first non-blank character (the lints only ask whether it is blank). */
export function standIn(text: string): string {
  const trimmed = text.trim();
  return trimmed === "" ? text : (trimmed[0] as string);
}
