import { mkdir } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import type { BrowserContext, Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createApp, startServer, type RunningServer } from "../../api/index.js";
import { syncFolder } from "../../indexer/sync.js";
import { EXAMPLE_CONTENT_DIR, type MeiliClient } from "../../src/index.js";
import { apiClientFor, silentLog } from "../helpers/api.js";
import { makeIndexerContext } from "../helpers/indexer-context.js";
import { freshIndexUid, startMeili, type TestMeili } from "../helpers/start-meili.js";
import { makeTempDir, removeTempDir } from "../helpers/tmp-dir.js";
import {
  launchChromium,
  requireChromium,
  textOf,
  textsOf,
  UI_TIMEOUT_MS,
  expectSoon,
  visibleText,
  withDemoPage,
} from "./browser-harness.js";

/**
 * The demo page (`GET /`) in headless Chromium, over the example content indexed in a real
 * Meilisearch and the API started in-process.
 */
const canRunBrowser = requireChromium();

/** Screenshots go to the test output only (never into the repository). */
const SCREENSHOT_DIR = path.join(tmpdir(), "postindex-e2e");

interface SearchAnswer {
  total: number;
  hits: { id: string; title: string; title_highlighted: string; snippet: string }[];
}
interface RelatedAnswer {
  related: { id: string; title: string; score: number; shared: { name: string; type: string }[] }[];
}

describe.skipIf(!canRunBrowser)("demo page in Chromium", () => {
  let meili: TestMeili;
  let searchClient: MeiliClient;
  let server: RunningServer;
  let context: BrowserContext;
  let userDataDir: string;
  let page: Page;
  let pageProblems: string[];
  let allowedProblem: RegExp | null;
  let isMeiliStopped = false;

  async function api<T>(pathAndQuery: string, init?: RequestInit): Promise<T> {
    const response = await fetch(`${server.url}${pathAndQuery}`, init);
    expect(response.status, `${pathAndQuery} answers`).toBe(200);
    return (await response.json()) as T;
  }

  /** What has the focus. (Page code is passed as text: this project's TypeScript has no DOM types.) */
  async function focused(): Promise<{
    id: string;
    text: string;
    classes: string[];
    value?: string;
    checked?: boolean;
  } | null> {
    return (await page.evaluate(
      "(() => { const el = document.activeElement; return el && { id: el.id, text: el.textContent, classes: [...el.classList], value: el.dataset.value, checked: el.checked }; })()",
    )) as Awaited<ReturnType<typeof focused>>;
  }

  const status = () => page.locator("#search-status");
  const hitTitles = () => textsOf(page.locator(".hit__title"));

  async function statusIs(expected: string | RegExp): Promise<void> {
    await expectSoon(
      async () => {
        const text = await textOf(status());
        return typeof expected === "string" ? text === expected : expected.test(text);
      },
      `the result count reads ${String(expected)} (it reads "${await textOf(status())}")`,
    );
  }

  /** Loads the page at `hash` (a same-document navigation, when only the fragment changes, has no response). */
  async function open(hash: string): Promise<void> {
    const response = await page.goto(`${server.url}/${hash}`);
    expect(response === null ? "same-document navigation" : response.status()).toBeOneOf([
      200,
      "same-document navigation",
    ]);
  }

  /** The whole page as `<name>.png`, and what fits the screen as `<name>-screen.png`. */
  async function screenshot(name: string): Promise<void> {
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, `${name}.png`), fullPage: true });
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, `${name}-screen.png`) });
  }

  beforeAll(async () => {
    meili = await startMeili();
    const indexUid = freshIndexUid("demo_page");
    const indexer = await makeIndexerContext(meili.client, indexUid);
    const { report } = await syncFolder(indexer, EXAMPLE_CONTENT_DIR);
    // oxlint-disable-next-line vitest/no-standalone-expect -- the page tests need the example content indexed
    expect(report.indexed.length).toBeGreaterThan(40);
    await removeTempDir(indexer.dataDir);
    searchClient = await apiClientFor(meili, indexUid);
    const apiApp = createApp({ client: searchClient, indexUid, log: silentLog() });
    server = await startServer(await withDemoPage(apiApp), 0, { host: "127.0.0.1" });
    await mkdir(SCREENSHOT_DIR, { recursive: true });
    userDataDir = await makeTempDir("chromium");
    context = await launchChromium(userDataDir);
    console.info(`demo page screenshots: ${SCREENSHOT_DIR}`);
  });

  afterAll(async () => {
    await context?.close();
    await server?.close();
    await searchClient?.close();
    if (!isMeiliStopped) await meili?.stop();
    if (userDataDir) await removeTempDir(userDataDir);
  });

  beforeEach(async () => {
    pageProblems = [];
    allowedProblem = null;
    page = await context.newPage();
    page.setDefaultTimeout(UI_TIMEOUT_MS);
    page.on("pageerror", (error) => pageProblems.push(`page error: ${error.message}`));
    page.on("console", (message) => {
      if (message.type() === "error" || message.type() === "warning")
        pageProblems.push(`console ${message.type()}: ${message.text()}`);
    });
  });

  afterEach(async () => {
    await page.close();
    // Script errors and CSP violations (an inline script or handler) show up here; they fail the test just run.
    // oxlint-disable-next-line vitest/no-standalone-expect -- an afterEach check of every test is what is meant
    expect(pageProblems.filter((problem) => allowedProblem === null || !allowedProblem.test(problem))).toEqual([]);
  });

  it("serves the page under the API's Content-Security-Policy, with revalidated caching", async () => {
    const response = await page.goto(`${server.url}/`);
    expect(response?.status()).toBe(200);
    expect(response?.headers()["content-security-policy"]).toContain("script-src 'self'");
    expect(response?.headers()["cache-control"]).toBe("public, no-cache");
    await statusIs(/^42 posts, page 1 of 5$/);
    const script = await fetch(`${server.url}/app.js`);
    expect(script.headers.get("content-type")).toMatch(/javascript/);
    expect(script.headers.get("etag")).toBeTruthy();
    const unknown = await fetch(`${server.url}/no-such-file.js`);
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toMatchObject({ error: { code: "not_found" } });
  });

  it("typing a query shows the API's hits with highlighted titles and snippets", async () => {
    await open("");
    await statusIs(/^42 posts/);
    await page.getByLabel("Search articles").pressSequentially("cache");
    const expected = await api<SearchAnswer>("/search?q=cache&limit=10");
    await statusIs(new RegExp(`^${expected.total} results for “cache”`));
    expect(page.url()).toContain("#/search?q=cache");
    expect(await hitTitles()).toEqual(expected.hits.map((hit) => hit.title));
    expect(await textsOf(page.locator(".hit__snippet"))).toEqual(expected.hits.map((hit) => visibleText(hit.snippet)));
    const marked = (html: string) =>
      [...html.matchAll(/<mark>(.*?)<\/mark>/g)].map((match) => visibleText(match[1] ?? ""));
    const titleMarks = expected.hits.flatMap((hit) => marked(hit.title_highlighted));
    expect(titleMarks.length).toBeGreaterThan(0);
    expect(await textsOf(page.locator(".hit__title mark"))).toEqual(titleMarks);
    expect(await textsOf(page.locator(".hit__snippet mark"))).toEqual(
      expected.hits.flatMap((hit) => marked(hit.snippet)),
    );
    await screenshot("search-cache");
  });

  it("a hostile highlight is shown as text, never run as markup", async () => {
    await page.route("**/search?q=xss*", (route) =>
      route.fulfill({
        contentType: "application/json",
        body: JSON.stringify({
          hits: [
            {
              id: "evil",
              title: "<img src=x onerror=alert(1)>",
              title_highlighted: '<mark>xss</mark> <img src=x onerror="window.__pwned=1"> &amp; co',
              snippet: "<script>window.__pwned=2</script> &lt;b&gt;not bold&lt;/b&gt; <mark>xss</mark>",
              stack: [],
              tools: [],
            },
          ],
          total: 1,
          page: 1,
          limit: 10,
          facets: { stack: {}, tools: {}, difficulty: {}, scenario: {} },
        }),
      }),
    );
    await open("#/search?q=xss");
    await statusIs(/^1 result for “xss”/);
    expect(await textOf(page.locator(".hit__title"))).toBe('xss <img src=x onerror="window.__pwned=1"> & co');
    expect(await textOf(page.locator(".hit__snippet"))).toBe("<script>window.__pwned=2</script> <b>not bold</b> xss");
    expect(await page.locator(".hits img, .hits script, .hits b").count()).toBe(0);
    expect(await page.locator(".hits mark").count()).toBe(2);
    expect(await page.evaluate("window.__pwned")).toBeUndefined();
  });

  it("an answer to an older query never replaces the newer one", async () => {
    const staleQuery = /\/search\?q=redis&/;
    let releaseStale: () => void = () => {};
    const staleHeld = new Promise<void>((resolve) => (releaseStale = resolve));
    // The answer to "redis" is held back until "redis token" has been answered and shown.
    await page.route(staleQuery, async (route) => {
      await staleHeld;
      const stale = {
        hits: [
          { id: "stale", title: "STALE ANSWER", title_highlighted: "STALE ANSWER", snippet: "", stack: [], tools: [] },
        ],
        total: 1,
        page: 1,
        limit: 10,
        facets: {},
      };
      await route.fulfill({ contentType: "application/json", body: JSON.stringify(stale) }).catch(() => undefined); // aborted by the page, as it should be
    });
    const staleSettled = new Promise<void>((resolve) => {
      page.on("requestfinished", (request) => staleQuery.test(request.url()) && resolve());
      page.on("requestfailed", (request) => staleQuery.test(request.url()) && resolve());
    });
    await open("");
    await statusIs(/^42 posts/);
    // Remembers whether the stale answer was ever shown, even if something replaced it afterwards.
    await page.evaluate(`(() => {
      const view = document.getElementById("view-search");
      new MutationObserver(() => { if (view.textContent.includes("STALE ANSWER")) window.__sawStale = true; })
        .observe(view, { childList: true, subtree: true, characterData: true });
    })()`);
    const box = page.getByLabel("Search articles");
    const staleRequest = page.waitForRequest(staleQuery);
    await box.pressSequentially("redis");
    await staleRequest;
    await box.pressSequentially(" token");
    const expected = await api<SearchAnswer>("/search?q=redis+token&limit=10");
    await statusIs(new RegExp(`^${expected.total} results? for “redis token”`));

    releaseStale();
    await staleSettled;
    // One more search after the stale answer reached the page (or was cancelled): had the page used
    // it, it would have been shown before this one.
    await page.getByLabel("Sort by").selectOption("recent");
    await expectSoon(
      async () => page.url().includes("sort=recent") && (await page.locator(".results[aria-busy]").count()) === 0,
      "the sorted answer is shown",
    );
    expect(await textOf(status())).toMatch(/for “redis token”/);
    expect(await page.evaluate("window.__sawStale === true")).toBe(false);
  });

  it("facet filters: values of one facet are OR-ed, facets AND-ed, counts match the API", async () => {
    await open("#/search");
    await statusIs(/^42 posts/);
    const stack = page.locator('fieldset[data-facet="stack"]');
    const all = await api<SearchAnswer & { facets: Record<string, Record<string, number>> }>("/search?limit=1");
    const pythonCount = all.facets["stack"]?.["python services"];
    const nodeCount = all.facets["stack"]?.["node services"];
    expect(await textOf(stack.locator("label", { hasText: /^python services/ }))).toBe(
      `python services ${pythonCount}`,
    );

    await stack.getByRole("checkbox", { name: /^python services \d+$/ }).check();
    await statusIs(new RegExp(`^${pythonCount} posts`));
    expect(page.url()).toContain("stack=python+services");
    // OR within a facet: the other stack values keep the counts they would add.
    await expectSoon(
      async () =>
        (await textOf(stack.locator("label", { hasText: /^node services/ }))) === `node services ${nodeCount}`,
      "node services keeps its count",
    );

    await stack.getByRole("checkbox", { name: /^node services \d+$/ }).check();
    const either = await api<SearchAnswer>("/search?stack=python+services&stack=node+services&limit=1");
    expect(either.total).toBeGreaterThan(pythonCount ?? 0);
    await statusIs(new RegExp(`^${either.total} posts`));

    await page
      .locator('fieldset[data-facet="difficulty"]')
      .getByRole("checkbox", { name: /^beginner \d+$/ })
      .check();
    const both = await api<SearchAnswer>(
      "/search?stack=python+services&stack=node+services&difficulty=beginner&limit=10",
    );
    expect(both.total).toBeLessThan(either.total);
    await statusIs(new RegExp(`^${both.total} posts?$`));
    expect(await hitTitles()).toEqual(both.hits.map((hit) => hit.title));
    expect(await textsOf(page.locator(".chip"))).toEqual([
      "stack: python services ×",
      "stack: node services ×",
      "difficulty: beginner ×",
    ]);
    await screenshot("search-facets");

    await page.getByRole("button", { name: "Remove filter difficulty: beginner" }).click();
    await statusIs(new RegExp(`^${either.total} posts`));
    await page.getByRole("button", { name: "Clear all", exact: true }).click();
    await statusIs(/^42 posts/);
    expect(await stack.getByRole("checkbox", { checked: true }).count()).toBe(0);
  });

  it("paging and sorting follow the API, and Back returns to the previous page", async () => {
    await open("#/search");
    await statusIs("42 posts, page 1 of 5");
    const firstPage = await hitTitles();
    await page.getByRole("link", { name: "Next page" }).click();
    await statusIs("42 posts, page 2 of 5");
    expect(page.url()).toContain("page=2");
    const second = await api<SearchAnswer>("/search?page=2&limit=10");
    expect(await hitTitles()).toEqual(second.hits.map((hit) => hit.title));
    expect((await focused())?.id).toBe("results-heading");
    await page.getByRole("link", { name: "Page 5" }).click();
    await statusIs("42 posts, page 5 of 5");
    expect(await page.locator(".hit").count()).toBe(2);

    await page.goBack();
    await statusIs("42 posts, page 2 of 5");
    await page.goBack();
    await statusIs("42 posts, page 1 of 5");
    expect(await hitTitles()).toEqual(firstPage);

    await page.getByLabel("Sort by").selectOption("popular");
    const popular = await api<SearchAnswer>("/search?sort=popular&limit=10");
    await expectSoon(async () => (await hitTitles())[0] === popular.hits[0]?.title, "the most viewed post comes first");
    expect(await hitTitles()).toEqual(popular.hits.map((hit) => hit.title));
    expect(page.url()).toContain("sort=popular");
    await page.getByRole("link", { name: "Next page" }).click();
    await statusIs("42 posts, page 2 of 5");
    await page.getByLabel("Sort by").selectOption("recent");
    await statusIs("42 posts, page 1 of 5");
  });

  it("a first load on a fragment that is not a route shows the search view; #q=… restores the search", async () => {
    const searchBox = page.getByLabel("Search articles");
    const searchViewShown = async () =>
      (await page.locator("#view-search").isVisible()) && (await searchBox.isVisible());

    await open("#q=redis");
    const expected = await api<SearchAnswer>("/search?q=redis&limit=10");
    expect(expected.total).toBeGreaterThan(0);
    await statusIs(new RegExp(`^${expected.total} results? for “redis”`));
    expect(await searchViewShown()).toBe(true);
    expect(await searchBox.inputValue()).toBe("redis");
    expect(await hitTitles()).toEqual(expected.hits.map((hit) => hit.title));
    expect(page.url()).toMatch(/#\/search\?q=redis$/); // rewritten as the page writes its own state

    for (const junk of ["#/nope/x", "#nope", "#main"]) {
      await page.goto("about:blank");
      await open(junk);
      await statusIs(/^42 posts/);
      expect(await searchViewShown(), `the search view for ${junk}`).toBe(true);
      expect(await searchBox.inputValue()).toBe("");
      expect(await page.locator(".hit").count()).toBe(10);
    }
  });

  it("a query nothing matches shows the empty state", async () => {
    await open("#/search");
    await page.getByLabel("Search articles").fill("xqzvkjw");
    await statusIs("No results for “xqzvkjw”");
    expect(await textOf(page.locator(".notice__title"))).toBe("No posts match “xqzvkjw”.");
    expect(await page.locator(".hit").count()).toBe(0);
  });

  it("a query with no exact match shows the close results of the looser retry, and says so", async () => {
    const expected = await api<SearchAnswer & { relaxed?: boolean }>("/search?q=cach%20invalidaton&limit=10");
    expect(expected.relaxed).toBe(true);
    expect(expected.total).toBeGreaterThan(0);
    await open("#/search");
    await page.getByLabel("Search articles").fill("cach invalidaton");
    await statusIs(
      new RegExp(`^No exact match, showing close results: ${expected.total} results? for “cach invalidaton”`),
    );
    expect(await hitTitles()).toEqual(expected.hits.map((hit) => hit.title));
  });

  it("a post renders like the site's article page, with its post meta and similar posts", async () => {
    await open("#/posts/alphanode-000504");
    const title = page.locator("h1.post__title");
    await expectSoon(
      async () =>
        (await textOf(title)) === "practical guide to testing critical paths before launch with python services",
      "the seed post is shown",
    );
    expect((await focused())?.classes.includes("post__title")).toBe(true);
    expect(await textOf(page.locator(".post__intro"))).toMatch(/^when a project grows/);
    expect(await textsOf(page.locator(".post__section > h2"))).toEqual([
      "security and maintenance notes",
      "implementation checklist",
      "final notes",
    ]);
    const checklist = page
      .locator(".post__section", { hasText: "implementation checklist" })
      .locator("ul.post__items > li");
    expect(await textsOf(checklist)).toEqual([
      "run linting",
      "run unit tests",
      "run one integration check",
      "verify staging config",
      "tag the release",
    ]);

    const meta = page.locator(".post-meta");
    expect(await textOf(meta.locator("h2"))).toBe("alphanode post meta");
    const row = (field: string) => meta.locator(`.post-meta__row[data-field="${field}"]`);
    expect(await textsOf(meta.locator("dt"))).toEqual(
      expect.arrayContaining([
        "topic",
        "summary",
        "ai outline",
        "ai brief",
        "stack",
        "tools",
        "code language",
        "difficulty",
        "reading time",
        "view count",
        "score",
        "revision",
        "reference",
        "hash",
        "flags",
        "checklist",
        "entities",
        "payload",
        "notes",
      ]),
    );
    expect(await textsOf(row("tools").locator("dd > ul > li"))).toEqual([
      "fastapi",
      "pytest",
      "uvicorn",
      "ruff",
      "git",
      "logs",
    ]);
    expect(await textsOf(row("stack").locator("dd > ul > li"))).toEqual(["python services", "backend", "python"]);
    expect(await textsOf(row("score").locator("dd > ul > li"))).toEqual([
      "quality: 73",
      "freshness: 94",
      "depth: 72",
      "clarity: 83",
    ]);
    expect(await textsOf(row("ai_outline").locator("dd li"))).toContain(
      "recommended action: measure first, change carefully, document the result",
    );
    expect(await textsOf(row("revision").locator("dd li"))).toContain("last reviewed: 2018-05-22");
    expect(await textsOf(row("entities").locator("dd > ul > li").first().locator("li"))).toEqual([
      "name: python services",
      "type: stack",
    ]);
    expect(await textOf(row("difficulty").locator("dd"))).toBe("beginner");

    const related = await api<RelatedAnswer>("/posts/alphanode-000504/related?limit=5");
    const items = page.locator(".similar .related__item");
    await expectSoon(async () => (await items.count()) === related.related.length, "the similar posts are listed");
    expect(await textOf(page.locator(".similar h2"))).toBe("Similar Posts");
    expect(await textsOf(items.locator(".related__link"))).toEqual(related.related.map((post) => post.title));
    const first = related.related[0]!;
    expect(first.title).toBe("Playwright smoke tests for the three flows that pay the bills");
    expect(await textOf(items.first().locator(".related__score"))).toBe(`score ${first.score.toFixed(2)}`);
    expect(await textsOf(items.first().locator(".entity"))).toEqual(
      first.shared.map((entity) => `${entity.name} ${entity.type}`),
    );
    await screenshot("post-seed");

    await items.first().locator(".related__link").click();
    await expectSoon(async () => (await textOf(title)) === first.title, "the related post opens");
    expect(page.url()).toContain(`#/posts/${first.id}`);
    await expectSoon(
      async () =>
        (await textsOf(page.locator(".similar .related__link"))).includes(
          "practical guide to testing critical paths before launch with python services",
        ),
      "it links back to the seed post",
    );
    await page.getByRole("link", { name: "← Back to results" }).click();
    await statusIs(/^42 posts/);
  });

  it("a post that is not indexed says so", async () => {
    await open("#/posts/alphanode-000586");
    await expectSoon(
      async () => (await textOf(page.locator(".notice__title"))) === "This post is not in the index.",
      "the not-found notice is shown",
    );
    allowedProblem = /status of 404/;
  });

  it("the draft panel lists related posts for a pasted record, and shows the API's message for a bad one", async () => {
    await open("#/draft");
    await page.getByRole("button", { name: "Insert an example" }).click();
    const draft = await page.getByLabel("Draft record (JSON)").inputValue();
    const expected = await api<RelatedAnswer>("/related?limit=8", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: draft,
    });
    expect(expected.related.length).toBeGreaterThan(0);
    await page.getByRole("button", { name: "Find related posts" }).click();
    const items = page.locator(".draft__results .related__item");
    await expectSoon(
      async () => (await items.count()) === expected.related.length,
      "the draft's related posts are listed",
    );
    expect(await textOf(page.locator(".draft__count"))).toBe(`${expected.related.length} related posts`);
    expect(await textsOf(items.locator(".related__link"))).toEqual(expected.related.map((post) => post.title));
    expect(await textsOf(items.first().locator(".entity"))).toEqual(
      expected.related[0]!.shared.map((entity) => `${entity.name} ${entity.type}`),
    );
    await screenshot("draft");

    const input = page.getByLabel("Draft record (JSON)");
    await input.fill('{"title": "broken", ');
    await input.press("Control+Enter");
    const alert = page.getByRole("alert");
    await expectSoon(
      async () => /body is not valid JSON \(HTTP 400\)/.test(await textOf(alert)),
      "the JSON error is shown",
    );
    expect(await input.getAttribute("aria-invalid")).toBe("true");

    await input.fill('{"title": "A draft without a revision"}');
    await page.getByRole("button", { name: "Find related posts" }).click();
    await expectSoon(
      async () => /body\.meta\.revision\.status: revision status is missing/.test(await textOf(alert)),
      "the field at fault is named",
    );

    await input.fill('{"entities": [{"name": "Memory Leaks", "type": "Problem"}]}');
    await page.getByRole("button", { name: "Find related posts" }).click();
    await expectSoon(
      async () => (await textsOf(page.locator(".draft__results .entity__name"))).includes("memory leaks"),
      "the short form works",
    );
    expect(await page.getByRole("alert").count()).toBe(0);
    allowedProblem = /status of 400/;
  });

  it("is usable from the keyboard: skip link, arrows through results, Enter opens a post", async () => {
    await open("");
    await statusIs(/^42 posts/);
    await page.keyboard.press("Tab");
    expect((await focused())?.text).toBe("Skip to content");
    await page.keyboard.press("Enter");
    expect((await focused())?.id).toBe("main");
    expect(page.url()).not.toContain("#main");

    await page.keyboard.press("/");
    expect((await focused())?.id).toBe("search-q");
    await page.keyboard.type("flaky");
    await statusIs(/results? for “flaky”/);
    await page.keyboard.press("ArrowDown");
    const titles = await hitTitles();
    expect((await focused())?.text).toBe(titles[0]);
    await page.keyboard.press("ArrowDown");
    expect((await focused())?.text).toBe(titles[1]);
    await page.keyboard.press("ArrowUp");
    await page.keyboard.press("ArrowUp");
    expect((await focused())?.id).toBe("search-q");
    await page.keyboard.press("ArrowDown");
    await page.keyboard.press("Enter");
    await expectSoon(async () => (await textOf(page.locator("h1.post__title"))) === titles[0], "Enter opens the post");
    expect((await focused())?.classes.includes("post__title")).toBe(true);
  });

  it("a facet checked with the keyboard keeps the focus once the results are redrawn", async () => {
    await open("#/search");
    await statusIs(/^42 posts/);
    const beginner = page
      .locator('fieldset[data-facet="difficulty"]')
      .getByRole("checkbox", { name: /^beginner \d+$/ });
    await beginner.focus();
    await page.keyboard.press("Space");
    const expected = await api<SearchAnswer>("/search?difficulty=beginner&limit=1");
    await statusIs(new RegExp(`^${expected.total} posts`));
    expect((await focused())?.value).toBe("beginner");
    expect(await textOf(page.locator(".filters-toggle"))).toBe("Filters (1)");
    await page.keyboard.press("Space");
    await statusIs(/^42 posts/);
    expect((await focused())?.checked).toBe(false);
  });

  it("fits a phone screen: filters fold away behind a button, nothing scrolls sideways", async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    await open("#/search?q=docker");
    await statusIs(/results? for “docker”/);
    const filters = page.getByRole("button", { name: "Filters" });
    expect(await page.locator("#facets").isVisible()).toBe(false);
    await filters.click();
    expect(await filters.getAttribute("aria-expanded")).toBe("true");
    expect(await page.locator("#facets").isVisible()).toBe(true);
    const fitsWidth = () => page.evaluate("document.documentElement.scrollWidth <= window.innerWidth");
    expect(await fitsWidth()).toBe(true);
    await screenshot("phone-search");
    await open("#/posts/alphanode-000504");
    await expectSoon(
      async () => (await page.locator(".similar .related__item").count()) > 0,
      "the post and its similar posts are shown",
    );
    expect(await fitsWidth()).toBe(true);
    await screenshot("phone-post");
  });

  // Last: it stops Meilisearch.
  it("shows an error state when the search service is down, and offers a retry", async () => {
    await open("#/search");
    await statusIs(/^42 posts/);
    isMeiliStopped = true;
    await meili.stop();
    allowedProblem = /status of 503/;
    await page.getByLabel("Search articles").fill("terraform state");
    await statusIs("Search is unavailable");
    const alert = page.getByRole("alert");
    expect(await textOf(alert.locator(".notice__title"))).toBe("Search is unavailable right now.");
    expect(await textOf(alert.locator(".notice__detail"))).toMatch(/\(HTTP 503\)$/);
    await screenshot("search-error");
    const retried = page.waitForResponse(
      (response) => response.url().includes("q=terraform") && response.status() === 503,
    );
    await alert.getByRole("button", { name: "Try again" }).click();
    await retried;
    await statusIs("Search is unavailable");
    expect(await page.getByRole("alert").count()).toBe(1);
  });
});
