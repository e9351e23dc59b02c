/**
 * The key under which spellings of one value meet: accents, letter case, punctuation and spacing
 * dropped, and the plural ending of the last word taken off (`Java Script`, `javascript.` and
 * `JavaScripts` all fold to `javascript`; `node.js` and `nodejs` meet). `#` and `+` count as letters, so `c`, `c#` and `c++` stay apart. A value
 * made only of punctuation is its own key. Used to group near-duplicates, never to rewrite a value.
 */
export function foldValue(value: string): string {
  const words = value
    .normalize("NFKD")
    .replace(/\p{M}+/gu, "")
    .toLowerCase()
    .replaceAll("#", " sharp ")
    .replaceAll("+", " plus ")
    .split(/[^\p{L}\p{N}]+/u);
  const key = words.join("");
  return key === "" ? value : singular(key);
}

/**
 * A word reduced so its singular and plural meet (`databases` and `database` → `databas`,
 * `queries` and `query` → `query`, `caches` and `cache` → `cach`): not an English word, a key.
 */
function singular(word: string): string {
  if (word.length <= 3 || word.endsWith("ss") || word.endsWith("us")) return word;
  if (word.endsWith("ies") && word.length > 4) return `${word.slice(0, -3)}y`;
  let stem = word.endsWith("es") ? word.slice(0, -2) : word.endsWith("s") ? word.slice(0, -1) : word;
  if (stem.endsWith("e") && stem.length > 3) stem = stem.slice(0, -1);
  return stem;
}
