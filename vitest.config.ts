import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["tests/**/*.test.ts"],
    // One Meilisearch for the run (tests/helpers/global-meili.ts); test files reach it with sharedMeili().
    globalSetup: ["tests/helpers/global-meili.ts"],
    // A property test that names no seed of its own still runs from a fixed one.
    setupFiles: ["tests/helpers/fast-check-seed.ts"],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: "forks",
  },
});
