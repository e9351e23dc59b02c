import type { TestProject } from "vitest/node";
import { startMeili } from "./start-meili.js";

/** Where the run's shared Meilisearch listens, as test files {@link inject} it. */
export interface SharedMeiliAddress {
  readonly url: string;
  readonly masterKey: string;
}

declare module "vitest" {
  export interface ProvidedContext {
    /** The Meilisearch every test file shares (see `sharedMeili` in start-meili.ts). */
    readonly sharedMeili: SharedMeiliAddress;
  }
}

/**
 * vitest `globalSetup`: one Meilisearch for the whole run, from the same binary as
 * `startMeili`, its address `provide`d to the test files; stopped (and its data removed) when the
 * run ends. Test files reach it through `sharedMeili()` and keep to their own index uids.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const meili = await startMeili();
  project.provide("sharedMeili", { url: meili.url, masterKey: meili.masterKey });
  return () => meili.stop();
}
