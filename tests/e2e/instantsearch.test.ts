import { tmpdir } from "node:os";
import path from "node:path";
import type { BrowserContext, Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createApp, startServer, type RunningServer } from "../../api/index.js";
import type { MeiliClient } from "../../src/index.js";
import { apiClientFor, silentLog } from "../helpers/api.js";
import { post, seedIndex } from "../helpers/seed-index.js";
import { freshIndexUid, startMeili, type TestMeili } from "../helpers/start-meili.js";
import { makeTempDir, removeTempDir } from "../helpers/tmp-dir.js";
import { expectSoon, launchChromium, requireChromium, textOf, textsOf, UI_TIMEOUT_MS } from "./browser-harness.js";

/**
 * `GET /instantsearch`: unmodified instantsearch.js and the Algolia lite client (served from
 * node_modules) in headless Chromium against the API and a real Meilisearch: typing, refining,
 * searching facet values, paging, sorting and similar posts, every request to this server only.
 *
 * The index: seven Redis posts (python services, tools redis; r2 shares r1's rare "cache stampede"
 * problem, so it is r1's most similar post) and five Kubernetes posts (go services, kubectl).
 * A screenshot of the page with similar posts shown is left in the temp dir
 * (`postindex-instantsearch.png`).
 */

const canRunBrowser = requireChromium();

function withScenario(record: Record<string, unknown>, scenario: string): Record<string, unknown> {
  const meta = record["meta"] as Record<string, unknown>;
  return { ...record, meta: { ...meta, payload: { scenario } } };
}

const REDIS = Array.from({ length: 7 }, (_, i) =>
  withScenario(
    post(`r${i + 1}`, {
      title: `Redis caching guide ${i + 1}`,
      stack: ["python services"],
      tools: ["redis"],
      difficulty: i % 2 === 0 ? "intermediate" : "advanced",
      viewCount: 100 + i,
      lastReviewed: `2024-0${i + 1}-01`,
      entities: [["tool", "redis"], ...(i < 2 ? [["problem", "cache stampede"] as const] : [])],
    }),
    i % 2 === 0 ? "incident response" : "migration",
  ),
);
const KUBERNETES = Array.from({ length: 5 }, (_, i) =>
  withScenario(
    post(`k${i + 1}`, {
      title: `Kubernetes rollout guide ${i + 1}`,
      stack: ["go services"],
      tools: ["kubectl"],
      difficulty: "advanced",
      viewCount: i === 2 ? 5000 : 10 + i,
      lastReviewed: `2023-0${i + 1}-01`,
      entities: [["tool", "kubectl"]],
    }),
    "greenfield",
  ),
);

describe.skipIf(!canRunBrowser)("the InstantSearch page in Chromium", () => {
  let meili: TestMeili;
  let server: RunningServer;
  let searchClient: MeiliClient;
  let context: BrowserContext;
  let userDataDir: string;
  let page: Page;
  let problems: string[];
  let requested: string[];

  beforeAll(async () => {
    meili = await startMeili();
    const indexUid = freshIndexUid("instantsearch");
    await seedIndex(meili.client, indexUid, [...REDIS, ...KUBERNETES]);
    searchClient = await apiClientFor(meili, indexUid);
    server = await startServer(createApp({ client: searchClient, indexUid, log: silentLog() }), 0, {
      host: "127.0.0.1",
    });
    userDataDir = await makeTempDir("chromium");
    context = await launchChromium(userDataDir);
  });

  afterAll(async () => {
    await context?.close();
    await server?.close();
    await searchClient?.close();
    await meili?.stop();
    if (userDataDir) await removeTempDir(userDataDir);
  });

  beforeEach(async () => {
    problems = [];
    requested = [];
    page = await context.newPage();
    page.setDefaultTimeout(UI_TIMEOUT_MS);
    page.on("pageerror", (error) => problems.push(`page error: ${error.message}`));
    page.on("console", (message) => {
      if (message.type() === "error") problems.push(`console error: ${message.text()}`);
    });
    page.on("request", (request) => requested.push(request.url()));
  });

  afterEach(async () => {
    await page.close();
  });

  /** Opens the page and waits for the first results (all 12 posts). */
  async function open(): Promise<void> {
    const response = await page.goto(`${server.url}/instantsearch`);
    expect(response?.status()).toBe(200);
    await expectSoon(async () => await showsCount(12), "12 results before typing");
  }

  /** No script error, and nothing left the machine: every request the page made went to this server. */
  function expectCleanPage(): void {
    expect(problems).toEqual([]);
    expect(requested.filter((url) => !url.startsWith(`${server.url}/`))).toEqual([]);
  }

  const titles = () => textsOf(page.locator(".ais-Hits-item h3"));
  const stats = () => textOf(page.locator(".ais-Stats-text"));
  const showsCount = async (count: number) => (await stats()).startsWith(`${count} results`);

  async function expectTitles(expected: readonly string[], what: string): Promise<void> {
    await expectSoon(
      async () => JSON.stringify(await titles()) === JSON.stringify(expected),
      `${what}: ${JSON.stringify(expected)}`,
    );
  }

  it("shows every post, then what a typed query finds, highlighted", async () => {
    await open();
    await page.locator("#searchbox .ais-SearchBox-input").fill("kubernetes");
    await expectSoon(async () => await showsCount(5), "5 Kubernetes results");
    expect((await titles()).every((title) => title.startsWith("Kubernetes rollout guide"))).toBe(true);
    const marks = await textsOf(page.locator(".ais-Hits-item h3 mark"));
    expect(marks.length).toBe(5);
    expect(new Set(marks)).toEqual(new Set(["Kubernetes"]));
    expect(requested.some((url) => url.includes("/1/indexes/*/queries"))).toBe(true);
    expectCleanPage();
  });

  it("refines by tools and difficulty, with counts, and searches the scenario values", async () => {
    await open();
    const tools = page.locator("#tools .ais-RefinementList-item");
    await expectSoon(
      async () => JSON.stringify(await textsOf(tools)) === JSON.stringify(["redis7", "kubectl5"]),
      "tools listed with counts",
    );
    await page.locator("#tools .ais-RefinementList-checkbox").first().check();
    await expectSoon(async () => await showsCount(7), "7 redis results");
    await page.locator("#difficulty label", { hasText: "advanced" }).locator("input").check();
    await expectSoon(async () => await showsCount(3), "3 advanced redis results");
    expect((await titles()).sort()).toEqual([
      "Redis caching guide 2",
      "Redis caching guide 4",
      "Redis caching guide 6",
    ]);
    await page.locator("#scenario .ais-SearchBox-input").fill("migr");
    await expectSoon(
      async () =>
        JSON.stringify(await textsOf(page.locator("#scenario .ais-RefinementList-labelText"))) ===
        JSON.stringify(["migration"]),
      "the scenario search lists migration only",
    );
    expectCleanPage();
  });

  it("pages through the results and sorts by replica", async () => {
    await open();
    await page.locator("#sort select").selectOption({ label: "Most read" });
    await expectTitles(
      [
        "Kubernetes rollout guide 3",
        "Redis caching guide 7",
        "Redis caching guide 6",
        "Redis caching guide 5",
        "Redis caching guide 4",
      ],
      "most read first",
    );
    await page.locator(".ais-Pagination-link", { hasText: /^3$/ }).click();
    await expectTitles(["Kubernetes rollout guide 2", "Kubernetes rollout guide 1"], "the third page");
    await page.locator("#sort select").selectOption({ label: "Recently reviewed" });
    await expectTitles(
      [
        "Redis caching guide 7",
        "Redis caching guide 6",
        "Redis caching guide 5",
        "Redis caching guide 4",
        "Redis caching guide 3",
      ],
      "freshest first, back on page 1",
    );
    expectCleanPage();
  });

  it("shows the similar posts of a chosen result, best first, with what they share", async () => {
    await open();
    await page.locator("#searchbox .ais-SearchBox-input").fill("redis caching guide 1");
    await expectSoon(async () => (await titles())[0] === "Redis caching guide 1", "r1 first");
    await page.locator(".ais-Hits-item", { hasText: "Redis caching guide 1" }).locator("button.similar").click();
    const related = page.locator(".related-item h3");
    await expectSoon(async () => (await textsOf(related)).length === 5, "five similar posts");
    const relatedTitles = await textsOf(related);
    expect(relatedTitles[0]).toBe("Redis caching guide 2");
    expect(relatedTitles).not.toContain("Redis caching guide 1");
    expect(relatedTitles.every((title) => title.startsWith("Redis caching guide"))).toBe(true);
    expect(await textOf(page.locator(".related-item .meta").first())).toMatch(
      /shares cache stampede, redis|shares redis, cache stampede/,
    );
    expect(requested.some((url) => url.includes("/1/indexes/*/recommendations"))).toBe(true);
    expectCleanPage();
    await page.screenshot({ path: path.join(tmpdir(), "postindex-instantsearch.png"), fullPage: true });
  });
});
