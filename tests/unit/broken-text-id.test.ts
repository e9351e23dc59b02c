import { describe, expect, test } from "vitest";
import { readIdFromBrokenText } from "../../src/records/broken-text-id.js";

describe("readIdFromBrokenText: the id a broken NDJSON line was written for", () => {
  test.each([
    ['{"id": "betaops-000276", "title": "Blue-green', "betaops-000276"],
    ['{"id":"a-1","title":"t","meta":{"revision":{"status":"rev', "a-1"],
    ['{"title": "First the title", "id": "late-id", "meta": {', "late-id"],
    ['{"ID": "upper", "title": ', "upper"],
    ['{"Id" : "spaced" ,"title"', "spaced"],
    ['{"id": "  padded  ", "title"', "padded"],
    ['{"id": 42, "title": "numeric id"', "42"],
    ['{"id": "esc\\"aped", "title"', 'esc"aped'],
    ['{"id": "caf\\u00e9", "title"', "café"],
    ['{"id": "x", "title": "ok"} trailing garbage', "x"],
    ['{"id": "x", "title": "ok",, "meta": {}}', "x"],
  ])("%s → %s", (text, id) => {
    expect(readIdFromBrokenText(text)).toBe(id);
  });

  test.each([
    ['{"title": "t", "Post Meta": {"payload": {"source_id": "from-payload"', "from-payload"],
    ['{"title": "t", "meta": {"payload": {"sourceId": "camel"}, "revision": ', "camel"],
    [
      '{"title": "t", "Post Meta": {"payload": ["generator: x", "source id: alphanode-000504", "seed: 1"], "x": ',
      "alphanode-000504",
    ],
  ])("no top-level id: the payload's source id %s → %s", (text, id) => {
    expect(readIdFromBrokenText(text)).toBe(id);
  });

  test("a top-level id wins over a source id seen earlier", () => {
    expect(readIdFromBrokenText('{"meta": {"payload": {"source_id": "inner"}}, "id": "outer", "title": ')).toBe(
      "outer",
    );
  });

  test.each([
    ["cut inside the id value", '{"id": "betaops-00'],
    ["cut before the value", '{"id": '],
    ["cut inside the key", '{"i'],
    ["cut before any id", '{"title": "A post about'],
    ["a number cut off", '{"id": 12'],
    ["an id that is not text or a number", '{"id": null, "title": "x'],
    ["an id that is an object", '{"id": {"value": "x"}, "title": "y'],
    ["an empty id", '{"id": "", "title": "y'],
    ["a nested id is not the record's id", '{"title": "t", "meta": {"id": "nested", "x": '],
    ["an id inside a string value", '{"title": "{\\"id\\": \\"fake\\"}", "meta'],
    ["not JSON at all", "this is not a record"],
    ["empty text", ""],
  ])("%s: no id", (_case, text) => {
    expect(readIdFromBrokenText(text)).toBeNull();
  });

  test("an id key followed by a broken value does not take a later string as its value", () => {
    expect(readIdFromBrokenText('{"id": 12x "title": "not the id"')).toBeNull();
  });
});
