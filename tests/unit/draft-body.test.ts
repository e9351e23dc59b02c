import { describe, expect, test } from "vitest";
import { parseDraft } from "../../api/draft-body.js";
import { BadRequestError } from "../../src/index.js";
import { makeRecord } from "../helpers/records.js";

function parameterOf(body: unknown): string | undefined {
  try {
    parseDraft(body);
    return undefined;
  } catch (error) {
    return error instanceof BadRequestError ? error.parameter : "not a BadRequestError";
  }
}

describe("parseDraft()", () => {
  test("bare entities are normalised like records; stack and id are optional", () => {
    expect(parseDraft({ entities: [{ name: "  Fast\nAPI ", type: "TOOL" }] })).toEqual({
      entities: [{ name: "fast api", type: "tool" }],
      stack: [],
    });
    expect(parseDraft({ id: "p-1", entities: [], stack: [" Rust "] })).toEqual({
      id: "p-1",
      entities: [],
      stack: ["rust"],
    });
  });

  test("a record gives its id, entities and stack, even when it would be excluded", () => {
    const record = makeRecord(
      { id: "d-1" },
      { revision: { status: "draft" }, stack: ["Go"], entities: [{ name: "X", type: "tool" }] },
    );
    expect(parseDraft(record)).toEqual({ id: "d-1", entities: [{ name: "x", type: "tool" }], stack: ["go"] });
  });

  test("a record without an id yet is accepted as a draft without one", () => {
    const { id: _id, ...record } = makeRecord({}, { entities: [{ name: "x", type: "tool" }] });
    expect(parseDraft(record)).toEqual({ entities: [{ name: "x", type: "tool" }], stack: [] });
  });

  test("bad bodies are named", () => {
    expect(parameterOf(undefined)).toBe("body");
    expect(parameterOf("text")).toBe("body");
    expect(parameterOf([])).toBe("body");
    expect(parameterOf({ entities: [{ name: "x" }] })).toBe("body.entities.0.type");
    expect(parameterOf({ entities: [], extra: 1 })).toBe("body");
    expect(parameterOf({ entities: Array.from({ length: 101 }, () => ({ name: "x", type: "y" })) })).toBe(
      "body.entities",
    );
    expect(parameterOf({ title: "t" })).toBe("body.meta.revision.status");
  });
});
