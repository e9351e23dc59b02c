import { brotliCompressSync, deflateSync, gzipSync } from "node:zlib";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { createApp, startServer, type RunningServer } from "../../api/index.js";
import { FACETS, normaliseFacetValue, type Facet, type SearchDocument } from "../../src/index.js";
import { apiClientFor, silentLog } from "../helpers/api.js";
import { HOSTILE_PIECES, hostileRecord, hostileText, jsonText, jsonTree, SEED } from "../helpers/hostile.js";
import { rawRequest, type RawAnswer as Answer } from "../helpers/raw-http.js";
import { post, seedIndex } from "../helpers/seed-index.js";
import { freshIndexUid, sharedMeili } from "../helpers/start-meili.js";

/**
 * Facet values planted in the index: each is the filter syntax it looks like, and must only ever
 * match the posts that carry it.
 */
const PLANTED = [
  'x" OR id != "',
  '" OR "" = "',
  "a\\",
  '\\"',
  "\\\\",
  "(x) OR (y)",
  "[a, b]",
  "it's",
  "a = b",
  "NOT x",
  "x TO y",
  "x IN [y]",
  "_geoRadius(0, 0, 1)",
  "EXISTS",
  "IS NULL",
  "tab\there",
  "nul\u0000byte",
  "bell\u0007",
  "line\u2028sep",
  "emoji \u{1f600}",
  "%25 and + and &",
  "ﬁle",
  "plain",
];

function isWellFormed(text: string): boolean {
  return (text as string & { isWellFormed(): boolean }).isWellFormed();
}

/** Whether `component` (a query name or value, `+` for space) has a percent escape that is not UTF-8. */
function isMalformed(component: string): boolean {
  try {
    decodeURIComponent(component.replaceAll("+", " "));
    return false;
  } catch {
    return true;
  }
}

const meili = sharedMeili();
let server: RunningServer;
let closeClient: () => Promise<void>;
let documents: readonly SearchDocument[];

beforeAll(async () => {
  const uid = freshIndexUid("hostile");
  const planted = PLANTED.map((value, i) =>
    post(`h${i}`, {
      stack: [value, "shared"],
      tools: [PLANTED[(i + 1) % PLANTED.length] as string],
      difficulty: value,
      entities: [
        ["tool", value],
        ["problem", "x"],
      ],
    }),
  );
  const seeded = await seedIndex(meili.client, uid, [...planted, post("quiet", { stack: ["other"] })]);
  documents = seeded.documents;
  const client = await apiClientFor(meili, uid);
  closeClient = () => client.close();
  server = await startServer(createApp({ client, indexUid: uid, log: silentLog() }), 0, { host: "127.0.0.1" });
});

afterAll(async () => {
  await server?.close();
  await closeClient?.();
});

function valuesOf(document: SearchDocument, facet: Facet): string[] {
  const value = document[facet];
  return Array.isArray(value) ? value : value === null ? [] : [value];
}

/**
 * How Meilisearch compares facet values on top of our normalisation: Unicode compatibility
 * decomposition, then lower case (so `ﬁ` matches `fi`, `é` matches `e` + U+0301).
 */
function meiliFacetKey(value: string): string {
  return value.normalize("NFKD").toLowerCase();
}

/** The record ids `/search` must answer for these filters: values OR-ed within a facet, facets AND-ed. */
function expectedIds(filters: readonly (readonly [Facet, string])[]): string[] {
  const byFacet = new Map<Facet, Set<string>>();
  for (const [facet, value] of filters) {
    const normalised = normaliseFacetValue(value);
    if (normalised !== "") byFacet.set(facet, (byFacet.get(facet) ?? new Set()).add(meiliFacetKey(normalised)));
  }
  return documents
    .filter((document) =>
      [...byFacet].every(([facet, wanted]) =>
        valuesOf(document, facet).some((value) => wanted.has(meiliFacetKey(value))),
      ),
    )
    .map((document) => document.source_id)
    .sort();
}

async function searchIds(filters: readonly (readonly [Facet, string])[]): Promise<Answer & { ids?: string[] }> {
  const query = filters.map(([facet, value]) => `${facet}=${encodeURIComponent(value)}`).join("&");
  const answer = await rawRequest(server.url, "GET", `/search?limit=100&${query}`);
  if (answer.status !== 200) return answer;
  const body = JSON.parse(answer.body) as { hits: { id: string }[] };
  return { ...answer, ids: body.hits.map((hit) => hit.id).sort() };
}

/** Facet values: planted ones (exact and re-spaced / re-cased), and hostile text (URL-encodable). */
const facetValue = fc.oneof(
  fc.constantFrom(...PLANTED),
  fc.constantFrom(...PLANTED).map((value) => ` ${value.toUpperCase()}  `),
  hostileText().filter(isWellFormed),
);

describe("facet values are never filter syntax", () => {
  test('`stack=x" OR id != "` finds nothing when no post carries that value, not everything', async () => {
    for (const injection of [
      'y" OR id != "',
      'y" OR stack EXISTS OR stack = "',
      "y\\",
      '") OR ("',
      'y" OR _geoRadius(0, 0, 1) OR "',
    ]) {
      const answer = await searchIds([["stack", injection]]);
      expect(answer.status, injection).toBe(200);
      expect(answer.ids, injection).toEqual([]);
    }
  });

  test("a facet value finds exactly the posts that carry it, for every facet and any value", async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...FACETS), facetValue, async (facet, value) => {
        const answer = await searchIds([[facet, value]]);
        // A value over 200 characters is refused (400, no ids); any other finds exactly its posts.
        const isTooLong = value.length > 200;
        expect(answer.status, answer.body).toBe(isTooLong ? 400 : 200);
        expect(answer.ids).toEqual(isTooLong ? undefined : expectedIds([[facet, value]]));
      }),
      { seed: SEED, numRuns: 250 },
    );
  });

  test("several values and facets combine as OR within a facet, AND across facets, whatever the values", async () => {
    const filter = fc.tuple(
      fc.constantFrom<Facet>("stack", "tools", "difficulty"),
      facetValue.filter((value) => value.length <= 200),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(filter, { minLength: 2, maxLength: 6 }), async (filters) => {
        const answer = await searchIds(filters);
        expect(answer.status, answer.body).toBe(200);
        expect(answer.ids).toEqual(expectedIds(filters));
      }),
      { seed: SEED, numRuns: 150 },
    );
  });

  test("related posts of a post whose entities are filter syntax: only real neighbours, never itself", async () => {
    for (const [i, value] of PLANTED.entries()) {
      const answer = await rawRequest(
        server.url,
        "GET",
        `/posts/h${i}/related?limit=50&stack=${encodeURIComponent(value)}`,
      );
      expect(answer.status, value).toBe(200);
      const ids = (JSON.parse(answer.body) as { related: { id: string }[] }).related.map((item) => item.id);
      expect(ids, value).not.toContain(`h${i}`);
      expect(
        ids.every((id) => expectedIds([["stack", value]]).includes(id)),
        value,
      ).toBe(true);
    }
  });
});

/** A query string as a hostile client writes it: known and odd names, raw and broken percent escapes. */
const rawQuery = fc
  .array(
    fc.tuple(
      fc.oneof(
        fc.constantFrom("q", "page", "limit", "sort", ...FACETS, "__proto__", "constructor", "", "%zz", "q%ff"),
        hostileText(2).map(encodeLoosely),
      ),
      fc.oneof(
        hostileText(4).map(encodeLoosely),
        fc.constantFrom(
          "%",
          "%2",
          "%zz",
          "%ff",
          "%c0%80",
          "%ed%a0%80",
          "%e2%82",
          "%80",
          "%f8%88%80%80%80",
          "+",
          "%2B",
          "1",
          "0",
          "-1",
          "1e3",
          "999999999",
          "recent",
          "%00",
        ),
        fc
          .array(fc.constantFrom("%", "%4", "1", "a", "+", "=", "%e2", "%82", "%ac", "%F0", "%9F"), { maxLength: 6 })
          .map((parts) => parts.join("")),
      ),
      fc.boolean(),
    ),
    { maxLength: 8 },
  )
  .map((pairs) => pairs.map(([name, value, hasValue]) => (hasValue ? `${name}=${value}` : name)).join("&"));

/** Percent-encodes what a request line cannot carry, leaving `%` and reserved characters raw. */
function encodeLoosely(text: string): string {
  return Array.from(text)
    .map((char) =>
      /^[\u0021-\u007e]$/.test(char) && char !== "#"
        ? char
        : isWellFormed(char)
          ? encodeURIComponent(char)
          : "%ED%A0%80",
    )
    .join("");
}

/** Every answer: a JSON error shape on failure, never a 5xx, never a stack trace or a path. */
function expectClientAnswer(answer: Answer, allowed: readonly number[]): void {
  expect(allowed, `${answer.status} ${answer.body}`).toContain(answer.status);
  const failure = answer.status >= 400 ? answer.body : undefined;
  const error =
    failure === undefined ? undefined : (JSON.parse(failure) as { error: { code: string; message: string } });
  expect(error === undefined || typeof error.error.message === "string", `${answer.status} names its problem`).toBe(
    true,
  );
  expect(failure ?? "").not.toMatch(/\n\s+at |node_modules|\/work\/|\/tmp\//);
}

describe("hostile query strings and paths: 200 or a 4xx naming the problem, never a 5xx", () => {
  test.each([
    ["/search", [200, 400]],
    ["/facets/stack", [200, 400]],
    ["/posts/h3/related", [200, 400]],
  ] as const)("GET %s with any query string", async (route, allowed) => {
    await fc.assert(
      fc.asyncProperty(rawQuery, async (query) => {
        const answer = await rawRequest(server.url, "GET", `${route}?${query}`);
        expectClientAnswer(answer, allowed);
        const malformed = query.split("&").some((segment) => segment.split("=").some(isMalformed));
        // A malformed escape anywhere is a 400 that says so (checked on those queries only).
        expect(malformed ? answer.status : 400, query).toBe(400);
        expect(malformed ? answer.body : "malformed percent escape", query).toMatch(/malformed percent escape/);
      }),
      { seed: SEED, numRuns: 200 },
    );
  });

  test("invalid UTF-8 in a percent escape is a 400 naming the parameter, in every parameter", async () => {
    for (const escape of ["%ff", "%c0%80", "%ed%a0%80", "%e2%82", "%80", "%f8%88%80%80%80", "%e2%82%ac%"]) {
      for (const name of ["q", "page", "limit", "sort", ...FACETS, "unknown"]) {
        const answer = await rawRequest(server.url, "GET", `/search?${name}=ok${escape}`);
        expect(answer.status, `${name}=${escape}`).toBe(400);
        expect(JSON.parse(answer.body).error.parameter).toBe(name);
      }
    }
  });

  test("GET /posts/:id and /posts/:id/related with any id: 200 or 404, a broken escape 400", async () => {
    const id = fc.oneof(hostileText(6).filter(isWellFormed).map(encodeURIComponent), hostileText(4).map(encodeLoosely));
    await fc.assert(
      fc.asyncProperty(id, fc.boolean(), async (encoded, related) => {
        const answer = await rawRequest(server.url, "GET", `/posts/${encoded}${related ? "/related" : ""}`);
        expectClientAnswer(answer, [200, 400, 404]);
        // A broken escape in the id is a 400 (checked on those ids only).
        expect(!encoded.includes("/") && isMalformed(encoded) ? answer.status : 400, encoded).toBe(400);
      }),
      { seed: SEED, numRuns: 200 },
    );
  });
});

describe("hostile bodies for POST /related: 200 or 400, never a 5xx", () => {
  const send = (text: string, type = "application/json") =>
    rawRequest(server.url, "POST", "/related", { headers: { "content-type": type }, body: text });

  test("any JSON shape, any record with hostile values (lone surrogates included)", async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(jsonTree, hostileRecord), async (tree) => {
        expectClientAnswer(await send(jsonText(tree)), [200, 400]);
      }),
      { seed: SEED, numRuns: 200 },
    );
  });

  test("entities whose names and types are filter syntax, control characters or lone surrogates", async () => {
    const entity = fc.record({
      name: fc.oneof(hostileText(), fc.constantFrom(...PLANTED)),
      type: fc.oneof(fc.constantFrom("tool", "problem"), hostileText(3)),
    });
    const draft = fc.record({
      entities: fc.array(entity, { minLength: 1, maxLength: 8 }),
      stack: fc.option(fc.array(hostileText(3), { maxLength: 3 }), { nil: undefined }),
    });
    // Every draft may be refused as a 400: count the ones answered, so the property is not vacuous.
    let answered = 0;
    await fc.assert(
      fc.asyncProperty(draft, async (body) => {
        const answer = await send(JSON.stringify(body));
        expectClientAnswer(answer, [200, 400]);
        const { related } = (answer.status === 200 ? JSON.parse(answer.body) : { related: [] }) as {
          related: { id: string; shared: { name: string; type: string }[] }[];
        };
        if (answer.status === 200) answered += 1;
        const foreign = related
          .flatMap((item) => item.shared)
          .filter((shared) => !body.entities.some((e) => normaliseFacetValue(e.name) === shared.name));
        expect(foreign, "shared entities the draft does not name").toEqual([]);
      }),
      { seed: SEED, numRuns: 200 },
    );
    expect(answered, "drafts answered with related posts (not refused as 400)").toBeGreaterThanOrEqual(20);
  });

  test("a lone surrogate in an entity name is matched as U+FFFD, not sent to Meilisearch as broken JSON", async () => {
    const answer = await send(
      '{"entities": [{"name": "x\\ud800", "type": "tool"}, {"name": "\\udfff", "type": "problem"}]}',
    );
    expect(answer.status, answer.body).toBe(200);
  });

  test("any Content-Encoding over any bytes: compressed, truncated, or not compressed at all", async () => {
    const compressors: Record<string, (bytes: Buffer) => Buffer> = {
      gzip: gzipSync,
      deflate: deflateSync,
      br: brotliCompressSync,
    };
    const body = fc.oneof(
      fc.oneof(jsonTree, hostileRecord).map((tree) => Buffer.from(jsonText(tree))),
      fc.uint8Array({ maxLength: 64 }).map((bytes) => Buffer.from(bytes)),
    );
    const how = fc.constantFrom("compressed", "truncated", "as is");
    const encoding = fc.constantFrom("gzip", "deflate", "br", "identity", "GZIP", "gzip, gzip", "x-unknown", "");
    await fc.assert(
      fc.asyncProperty(encoding, body, how, async (name, bytes, treatment) => {
        const compress = compressors[name.toLowerCase()];
        const packed = compress === undefined || treatment === "as is" ? bytes : compress(bytes);
        const sent = treatment === "truncated" ? packed.subarray(0, Math.floor(packed.length / 2)) : packed;
        const headers = { "content-type": "application/json", ...(name === "" ? {} : { "content-encoding": name }) };
        expectClientAnswer(await rawRequest(server.url, "POST", "/related", { headers, body: sent }), [200, 400]);
      }),
      { seed: SEED, numRuns: 200 },
    );
  });

  test("every piece of hostile text as a whole body, and as a body of another type", async () => {
    for (const piece of HOSTILE_PIECES) {
      expectClientAnswer(await send(piece), [400]);
      expectClientAnswer(await send(JSON.stringify(piece)), [400]);
      expectClientAnswer(await send(JSON.stringify({ entities: piece })), [400]);
    }
    expectClientAnswer(await send('{"entities": []}', "application/json; charset=latin-9"), [400]);
    expectClientAnswer(await send("[]", "application/vnd.api+json"), [400]);
  });
});
