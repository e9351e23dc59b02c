import { describe, expect, test } from "vitest";
import { applyAliases } from "../../src/check/aliases.js";
import { parseContentConfig } from "../../src/check/content-config.js";
import { slimOutcome } from "../../src/records/check-outcome.js";
import { evaluateRecord, type RecordLocation, type RecordOutcome } from "../../src/records/evaluate.js";
import { OutcomeDecoder, OutcomeEncoder } from "../../src/records/outcome-codec.js";
import { makePost } from "../helpers/records.js";

/**
 * What a `check` worker thread sends back for each record: the decoder must rebuild exactly what
 * the main thread would keep of the same outcome itself (`slimOutcome`), so the report and the
 * lints cannot depend on which thread read a file.
 */

const at = (file: string, line: number | null, item: number | null): RecordLocation => ({ file, line, item });

const OUTCOMES: RecordOutcome[] = [
  evaluateRecord(
    makePost(
      "full",
      { intro: "  An intro" },
      {
        summary: "A summary",
        stack: ["Python", "Rust"],
        tools: ["git"],
        difficulty: "advanced",
        code_language: "python",
        payload: { scenario: "Debugging" },
        revision: { status: "reviewed", last_reviewed: "2026-01-02" },
        entities: [{ type: "tool", name: "redis" }],
        related: { pinned: ["a", "b"] },
        flags: { no_related: true },
      },
    ),
    at("posts/array.json", null, 3),
  ),
  evaluateRecord(makePost("outline", {}, { ai_outline: { context: "In Kubernetes" } }), at("x.ndjson", 4, null)),
  evaluateRecord(
    makePost("both", {}, { payload: { scenario: "migration" }, ai_outline: { context: "In Kubernetes" } }),
    at("x.ndjson", 5, null),
  ),
  evaluateRecord(makePost("bare"), at("posts/bare.json", null, null)),
  // An outline without a scenario in it: neither thread keeps a scenario.
  evaluateRecord(makePost("blank-outline", {}, { ai_outline: { context: "   " } }), at("x.ndjson", 6, null)),
  evaluateRecord(makePost("blank", { intro: "   " }, { summary: "" }), at("posts/array.json", null, 0)),
  evaluateRecord(makePost("draft", {}, { revision: { status: "draft" } }), at("posts/array.json", null, 1)),
  evaluateRecord({ id: "no-title", meta: { revision: { status: "reviewed" } } }, at("posts/array.json", null, 2)),
  {
    kind: "rejected",
    file: "y.ndjson",
    line: 9,
    item: null,
    id: null,
    field: null,
    message: "not valid JSON",
    scope: "record",
  },
];

describe("the outcome codec between check's threads", () => {
  test.each([true, false])("each outcome decodes to what the main thread keeps of it (facts: %s)", (facts) => {
    const encoder = new OutcomeEncoder(facts);
    const decoder = new OutcomeDecoder(facts);
    // Two batches: the second sends only the strings the first did not, and must decode alike.
    for (const batch of [OUTCOMES.slice(0, 4), OUTCOMES.slice(4), OUTCOMES]) {
      for (const outcome of batch) encoder.add(outcome);
      expect(decoder.decode(encoder.take())).toEqual(batch.map((outcome) => slimOutcome(outcome, facts)));
    }
  });

  test("a scenario written only in the outline crosses, as the outline's", () => {
    const encoder = new OutcomeEncoder(true);
    encoder.add(OUTCOMES[1] as RecordOutcome);
    const [decoded] = new OutcomeDecoder(true).decode(encoder.take());
    expect(decoded?.kind === "indexed" && decoded.record.meta).toMatchObject({
      ai_outline: { context: "In Kubernetes" },
    });
    expect(decoded?.kind === "indexed" && decoded.record.meta.payload).toBeUndefined();
  });

  test("a scenario an alias in the outline named crosses as the outline's, with the value meant", () => {
    const { aliases } = parseContentConfig(
      JSON.stringify({ aliases: { scenario: { "in k8s": "kubernetes" } } }),
    ).config;
    const outcome = evaluateRecord(
      makePost("aliased", {}, { ai_outline: { context: "In K8s" } }),
      at("x.ndjson", 6, null),
    );
    if (outcome.kind !== "indexed") throw new Error("the post should be indexed");
    applyAliases(outcome.record, aliases);
    // The record itself now carries the value meant as its payload's scenario (the document's facet).
    expect(outcome.record.meta.payload?.scenario).toBe("kubernetes");
    const encoder = new OutcomeEncoder(true);
    encoder.add(outcome);
    const [decoded] = new OutcomeDecoder(true).decode(encoder.take());
    expect(decoded).toEqual(slimOutcome(outcome, true));
    expect(decoded?.kind === "indexed" && decoded.record.meta).toMatchObject({ ai_outline: { context: "kubernetes" } });
    expect(decoded?.kind === "indexed" && decoded.record.meta.payload).toBeUndefined();
  });
});
