import { normaliseKey, readText } from "./normalise-values.js";

/**
 * The record id written in the text of a record that is not valid JSON (an export cut off in the
 * middle of a line, a stray character), so that the broken line can stand for its own record and
 * no other. Reads the way the normaliser does: the top-level `id` in any key spelling, else a
 * `source_id` anywhere (also as a `"source id: x"` list item). Only a value written out whole
 * counts: `{"id": "ab` names nothing, since `ab` may be the start of another id.
 * @returns the id, or null when the text names none
 */
export function readIdFromBrokenText(text: string): string | null {
  const found = scanForIds(text);
  const id = readText(found.topLevelId ?? found.sourceId);
  return typeof id === "string" && id !== "" ? id : null;
}

interface FoundIds {
  topLevelId?: string | number;
  sourceId?: string | number;
}

/** One level of nesting: an object (waiting for a key, or holding the key whose value comes next) or an array. */
type Container = { type: "object"; key: string | undefined } | { type: "array" };

const SOURCE_ID_ITEM = /^\s*source[\s_-]*id\s*:\s*(\S.*?)\s*$/imu;
const NUMBER = /^-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?(?=[\s,}\]])/u;

function scanForIds(text: string): FoundIds {
  const found: FoundIds = {};
  const stack: Container[] = [];
  for (let at = 0; at < text.length;) {
    const char = text[at] as string;
    const top = stack.at(-1);
    if (char === "{" || char === "[") {
      stack.push(char === "{" ? { type: "object", key: undefined } : { type: "array" });
      at += 1;
    } else if (char === "}" || char === "]") {
      stack.pop();
      settleValue(stack.at(-1));
      at += 1;
    } else if (char === '"') {
      const token = readString(text, at);
      if (token === undefined) return found;
      at = token.end;
      if (top?.type === "object" && top.key === undefined && isFollowedByColon(text, at))
        top.key = normaliseKey(token.value);
      else takeValue(found, stack, token.value);
    } else {
      const number = NUMBER.exec(text.slice(at, at + 40));
      if (number && top?.type === "object" && top.key !== undefined) {
        takeValue(found, stack, Number(number[0]));
        at += number[0].length;
      } else {
        if (char !== ":" && !/\s/u.test(char)) settleValue(top);
        at += 1;
      }
    }
    if (found.topLevelId !== undefined) return found;
  }
  return found;
}

function takeValue(found: FoundIds, stack: Container[], value: string | number): void {
  const top = stack.at(-1);
  if (top?.type === "object") {
    if (top.key === "id" && stack.length === 1) found.topLevelId = value;
    else if (top.key === "source_id") found.sourceId ??= value;
    top.key = undefined;
  } else if (top?.type === "array" && typeof value === "string") {
    const item = SOURCE_ID_ITEM.exec(value);
    if (item?.[1] !== undefined) found.sourceId ??= item[1];
  }
}

/** A value that is not a string or number (a literal, a nested object or array) ends its key. */
function settleValue(container: Container | undefined): void {
  if (container?.type === "object") container.key = undefined;
}

/** The JSON string starting at `start` (a quote), unescaped; undefined when the text ends inside it. */
function readString(text: string, start: number): { value: string; end: number } | undefined {
  for (let at = start + 1; at < text.length; at += 1) {
    const char = text[at];
    if (char === "\\") {
      at += 1;
    } else if (char === '"') {
      const end = at + 1;
      try {
        return { value: JSON.parse(text.slice(start, end)) as string, end };
      } catch {
        return { value: text.slice(start + 1, at), end };
      }
    }
  }
  return undefined;
}

function isFollowedByColon(text: string, from: number): boolean {
  for (let at = from; at < text.length; at += 1) {
    const char = text[at] as string;
    if (char === ":") return true;
    if (!/\s/u.test(char)) return false;
  }
  return false;
}
