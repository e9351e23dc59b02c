import { describe, expect, test } from "vitest";
import { errorOffset, JsonPositions } from "../../src/text/json-positions.js";

const TEXT = `{
  "id": "a",
  "tricky \\" key": "a } ] , \\\\",
  "meta": {
    "stack": ["x", "y"],
    "n": -1.5e3,
    "ok": true
  },
  "list": [ {"a": 1}, [2, [3]], "s", null ]
}`;

describe("JsonPositions", () => {
  const positions = new JsonPositions(TEXT);
  const root = positions.valueStart();

  test("the members of an object, keys decoded, past strings holding braces, quotes and backslashes", () => {
    const members = positions.members(root);
    expect(members.map((m) => m.key)).toEqual(["id", 'tricky " key', "meta", "list"]);
    expect(members.map((m) => positions.lineAt(m.keyStart))).toEqual([2, 3, 4, 9]);
    const meta = members[2]?.valueStart ?? -1;
    expect(positions.members(meta).map((m) => [m.key, TEXT.slice(m.valueStart, m.valueStart + 4)])).toEqual([
      ["stack", '["x"'],
      ["n", "-1.5"],
      ["ok", "true"],
    ]);
  });

  test("the items of an array, nested values skipped whole", () => {
    const list = positions.members(root)[3]?.valueStart ?? -1;
    expect(positions.items(list).map((at) => TEXT[at])).toEqual(["{", "[", '"', "n"]);
  });

  test("members of a non-object and items of a non-array are empty", () => {
    expect(positions.items(root)).toEqual([]);
    expect(positions.members(positions.members(root)[0]?.valueStart ?? -1)).toEqual([]);
    expect(new JsonPositions("[]").items(0)).toEqual([]);
    expect(new JsonPositions("{}").members(0)).toEqual([]);
  });

  test.each([
    [0, 1],
    [1, 1],
    [2, 2],
    [TEXT.length - 1, 10],
  ])("offset %i is on line %i", (offset, line) => {
    expect(positions.lineAt(offset)).toBe(line);
  });

  test("CRLF lines count like LF lines", () => {
    const crlf = new JsonPositions('[\r\n  {"id": 1},\r\n  {"id": 2}\r\n]');
    expect(crlf.items(0).map((at) => crlf.lineAt(at))).toEqual([2, 3]);
  });

  test("text cut off mid-way gives what was found, never an exception", () => {
    const cut = new JsonPositions('{"a": [1, 2], "b": "unterminated');
    expect(cut.members(0).map((m) => m.key)).toEqual(["a", "b"]);
  });
});

describe("errorOffset", () => {
  test.each([
    ['{\n"a": 1,\n}', 10],
    ['{\n"a": 1\n "b"}', 10],
  ])("points at where JSON.parse stopped in %j", (text, offset) => {
    let message = "";
    try {
      JSON.parse(text);
    } catch (error) {
      message = (error as Error).message;
    }
    expect(errorOffset(text, message)).toBe(offset);
  });

  test("a message naming no place gives nothing", () => {
    expect(errorOffset("{", "Unexpected end of JSON input")).toBeUndefined();
  });
});
