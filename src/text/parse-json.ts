/** What {@link tryParseJson} read: the value, or why the text is not JSON (the parser's message). */
export type JsonReading = { readonly value: unknown } | { readonly error: string };

/**
 * `JSON.parse` that answers instead of throwing, for text that may well not be JSON (a field
 * holding a JSON string or plain text, a record file, an error body, a lock file).
 */
export function tryParseJson(text: string): JsonReading {
  try {
    return { value: JSON.parse(text) as unknown };
  } catch (error) {
    return { error: error instanceof Error ? error.message : String(error) };
  }
}
