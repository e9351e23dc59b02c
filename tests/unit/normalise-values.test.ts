import { describe, expect, test } from "vitest";
import {
  normaliseKey,
  parsePythonList,
  readDate,
  readFlag,
  readKeys,
  readKeyValues,
  readList,
  readNumber,
} from "../../src/records/normalise-values.js";

describe("normaliseKey", () => {
  test.each([
    ["view_count", "view_count"],
    ["viewCount", "view_count"],
    ["view count", "view_count"],
    ["view-count", "view_count"],
    ["View Count", "view_count"],
    ["  View  Count ", "view_count"],
    ["Post Meta", "post_meta"],
    ["post_meta", "post_meta"],
    ["aiOutline", "ai_outline"],
    ["ai outline", "ai_outline"],
    ["last reviewed", "last_reviewed"],
    ["do-not-index", "do_not_index"],
  ])("%j → %j", (input, expected) => {
    expect(normaliseKey(input)).toBe(expected);
  });
});

describe("readKeys", () => {
  test("the first spelling present wins and null values are skipped", () => {
    const keys = readKeys({ "view count": null, viewCount: 5, view_count: 7 });
    expect(keys?.get("view_count")).toBe(5);
  });

  test("a __proto__ key is plain data and pollutes nothing", () => {
    const keys = readKeys(JSON.parse('{"__proto__": {"polluted": true}, "title": "t"}'));
    expect(keys?.get("proto")).toEqual({ polluted: true });
    expect(({} as Record<string, unknown>)["polluted"]).toBeUndefined();
  });

  test.each([[null], [[1, 2]], ["text"], [5]])("%j is not an object", (value) => {
    expect(readKeys(value)).toBeUndefined();
  });
});

describe("readList", () => {
  test.each<[string, unknown, object, unknown]>([
    ["an array", ["a", " b "], {}, ["a", "b"]],
    ["an array with numbers and nulls", ["a", 3, null], {}, ["a", "3"]],
    ["a JSON array in a string", '["a", "b"]', {}, ["a", "b"]],
    ["a Python-style list", "['python services', 'backend', 'python']", {}, ["python services", "backend", "python"]],
    ["a Python-style list with double quotes", '["it\'s", "x"]', {}, ["it's", "x"]],
    ["a Python-style list with an escaped quote", "['it\\'s', 'y']", {}, ["it's", "y"]],
    ["bullet lines with •", "• run linting\n• run unit tests", {}, ["run linting", "run unit tests"]],
    ["bullet lines with -", "- a\n- b", {}, ["a", "b"]],
    ["bullet lines with *", "* a\r\n* b", {}, ["a", "b"]],
    ["comma-separated stack", "fastapi, pytest,uvicorn", { commaSeparated: true }, ["fastapi", "pytest", "uvicorn"]],
    ["commas are not separators elsewhere", "one, two", {}, ["one, two"]],
    [
      "paragraphs on blank lines",
      "first para.\n\nsecond para.\r\n\r\nthird",
      { paragraphs: true },
      ["first para.", "second para.", "third"],
    ],
    ["one paragraph", "only one", { paragraphs: true }, ["only one"]],
    ["an empty string", "   ", {}, []],
    ["lines without bullets", "a\nb", {}, ["a", "b"]],
  ])("%s", (_name, input, options, expected) => {
    expect(readList(input, options)).toEqual(expected);
  });

  test.each([[5], [{ a: 1 }], [true]])("%j is returned unchanged for validation to report", (value) => {
    expect(readList(value)).toBe(value);
  });

  test("a broken Python list is not a list", () => {
    expect(parsePythonList("['a', b]")).toBeUndefined();
    expect(parsePythonList("['a'")).toBeUndefined();
  });

  test("a 10,000-element list is read whole", () => {
    const items = Array.from({ length: 10_000 }, (_, i) => `item ${i}`);
    expect(readList(items)).toHaveLength(10_000);
  });
});

describe("readKeyValues", () => {
  test("an object", () => {
    expect(readKeyValues({ Status: "reviewed", "last reviewed": "2018-05-22" })).toEqual(
      new Map([
        ["status", "reviewed"],
        ["last_reviewed", "2018-05-22"],
      ]),
    );
  });

  test('a list of "key: value" strings, values keeping their colons', () => {
    expect(readKeyValues(["context: behind a cdn", "recommended action: a: b"])).toEqual(
      new Map([
        ["context", "behind a cdn"],
        ["recommended_action", "a: b"],
      ]),
    );
  });

  test("one string of bullet lines", () => {
    expect(readKeyValues("• quality: 73\n• depth: 72")).toEqual(
      new Map([
        ["quality", "73"],
        ["depth", "72"],
      ]),
    );
  });

  test("a JSON object in a string", () => {
    expect(readKeyValues('{"status": "draft"}')).toEqual(new Map([["status", "draft"]]));
  });

  test("a list item without a key is not a group", () => {
    expect(readKeyValues(["status: reviewed", "nonsense"])).toEqual(["status: reviewed", "nonsense"]);
  });
});

describe("readNumber", () => {
  test.each<[unknown, unknown]>([
    [66607, 66607],
    ["66607", 66607],
    ["66,607", 66607],
    ["1,234,567", 1234567],
    ["1 234", 1234],
    ["5 min", 5],
    ["5min", 5],
    ["12 minutes", 12],
    ["3.5", 3.5],
    ["2,500.75", 2500.75],
    ["  42  ", 42],
    ["95%", 95],
    ["-3", -3],
    ["abc", "abc"],
    ["", ""],
    ["1,23", "1,23"],
    ["five", "five"],
    [null, null],
    [true, true],
  ])("%j → %j", (input, expected) => {
    expect(readNumber(input)).toEqual(expected);
  });
});

describe("readFlag", () => {
  test.each<[unknown, unknown]>([
    [1, true],
    [0, false],
    ["1", true],
    ["0", false],
    [true, true],
    [false, false],
    ["true", true],
    ["false", false],
    ["TRUE", true],
    ["yes", true],
    ["No", false],
    [" yes ", true],
    ["maybe", "maybe"],
    [2, 2],
  ])("%j → %j", (input, expected) => {
    expect(readFlag(input)).toEqual(expected);
  });
});

describe("readDate", () => {
  test.each<[unknown, unknown]>([
    ["2018-05-22", "2018-05-22"],
    [" 2018-05-22 ", "2018-05-22"],
    ["2018-05-22T10:00:00Z", "2018-05-22"],
    ["2018-05-22T10:00:00+02:00", "2018-05-22"],
    ["yesterday", "yesterday"],
  ])("%j → %j", (input, expected) => {
    expect(readDate(input)).toEqual(expected);
  });
});
