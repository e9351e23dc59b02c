import { existsSync } from "node:fs";
import express, { type Express } from "express";
import helmet from "helmet";
import { chromium, type BrowserContext, type Locator } from "playwright-core";
import request from "supertest";
import { demoPageRoutes } from "../../api/routes/demo-page.js";
import { expect } from "vitest";

/**
 * The Chromium the e2e tests drive: `CHROMIUM_PATH`, else Debian's (`apt-get install -y chromium`).
 * Without one the tests are skipped locally; under `CI=true` that is a failure, so a green CI run
 * always includes the browser tests.
 */
const CHROMIUM = process.env["CHROMIUM_PATH"] || "/usr/bin/chromium";
const hasChromium = existsSync(CHROMIUM);
const isCi = process.env["CI"] === "true" || process.env["CI"] === "1";

/** How to get a browser, for the skip warning and the CI failure. */
const MISSING_CHROMIUM = `no Chromium at ${CHROMIUM}: install one with \`apt-get install -y chromium\` or point CHROMIUM_PATH at a Chromium binary`;

/** Skips the browser suite when there is no Chromium, except under CI, where it fails instead. */
export function requireChromium(): boolean {
  if (hasChromium) return true;
  if (isCi) throw new Error(`the demo page e2e tests cannot run under CI=true: ${MISSING_CHROMIUM}`);
  console.warn(`demo page e2e tests skipped: ${MISSING_CHROMIUM}`);
  return false;
}

/** The network is closed: without these flags Chromium keeps trying to reach Google's services. */
const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

/** Headless Chromium on a fresh profile in `userDataDir`, with a desktop-sized window. */
export function launchChromium(userDataDir: string): Promise<BrowserContext> {
  return chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: { width: 1280, height: 900 },
  });
}

/** How long the page gets to show something. */
export const UI_TIMEOUT_MS = 10_000;

/**
 * Serves the demo page in front of the API unless the API app already does (once `api/app.ts`
 * registers `demoPageRoutes()`, the real wiring is what gets tested). The stand-in applies the
 * API's security headers, so the page still runs under its Content-Security-Policy.
 */
export async function withDemoPage(api: Express): Promise<Express> {
  const index = await request(api).get("/");
  if (index.status === 200 && index.type === "text/html") return api;
  const app = express();
  app.disable("x-powered-by");
  app.use(helmet({ crossOriginResourcePolicy: { policy: "cross-origin" } }));
  app.use(demoPageRoutes());
  app.use(api);
  return app;
}

/** Probes until true, failing with `message` after {@link UI_TIMEOUT_MS}. */
export async function expectSoon(probe: () => Promise<boolean>, message: string): Promise<void> {
  await expect.poll(probe, { message, timeout: UI_TIMEOUT_MS, interval: 20 }).toBe(true);
}

/** The text of everything `locator` matches, joined and trimmed (no waiting: pair with {@link expectSoon}). */
export async function textOf(locator: Locator): Promise<string> {
  return (await locator.allTextContents()).join("").trim();
}

/** The trimmed text of each element `locator` matches. */
export async function textsOf(locator: Locator): Promise<string[]> {
  return (await locator.allTextContents()).map((text) => text.trim());
}

/** A highlighted field (`<mark>`, escaped text) as the text a reader sees. */
export function visibleText(html: string): string {
  return html
    .replace(/<\/?mark>/g, "")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, "&");
}
