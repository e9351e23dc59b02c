import { Command, CommanderError } from "commander";
import { EXIT, portOption, withReportOptions, type ReportOptions } from "./options.js";
import { withCheckOptions, type CheckOptions } from "./check-options.js";
import { withRelatedOptions, type RelatedCommandOptions } from "./related-options.js";
import { prestartCheckWorker } from "../src/records/check-workers-start.js";
import { packageVersion } from "../src/project-paths.js";

// Each command's module is imported when that command runs, so `check` does not load the
// Meilisearch client, the logger or the API (express, prom-client): ~0.3 s of its start-up.
// The commands that talk to Meilisearch get the configuration, read here once from the
// environment (`check` needs none, so a bad MEILI_URL does not stop it).
const config = async () => (await import("./config.js")).readConfig(process.env);
// A large folder's worker thread loads zod and the normaliser while this thread loads `check`.
const runCheck = async (dir: string, options: CheckOptions) => {
  prestartCheckWorker(dir);
  return (await import("./commands/check.js")).runCheck(dir, options);
};
// So does a reindex's or sync's, while this thread loads the indexer and talks to Meilisearch.
const runIndexCommand = async (kind: "reindex" | "sync", dir: string, options: ReportOptions) => {
  prestartCheckWorker(dir);
  return (await import("./commands/index-folder.js")).runIndexCommand(await config(), kind, dir, options);
};
const runWatch = async (dir: string) => (await import("./commands/watch.js")).runWatch(await config(), dir);
const runServe = async (options: { port?: number }) =>
  (await import("./commands/serve.js")).runServe(await config(), options);
const runSearchKey = async () => (await import("./commands/serve.js")).runSearchKey(await config());
const runStart = async (options: { port?: number }) =>
  (await import("./commands/start.js")).runStart(await config(), options);
const runRelated = async (dir: string | undefined, options: RelatedCommandOptions) =>
  (await import("./commands/related.js")).runRelated(await config(), dir, options);

/** Builds the `postindex` command line; `exit` receives each command's status. */
export function buildProgram(exit: (status: number) => void): Command {
  const program = new Command("postindex")
    .description("Full-text search and related posts for article sites, on Meilisearch")
    .version(packageVersion(), "-V, --version", "print postindex's version")
    .exitOverride()
    .showHelpAfterError();
  withCheckOptions(
    withReportOptions(
      program
        .command("check")
        .description("parse, normalise, validate and classify the records under DIR (no server needed)")
        .argument("<dir>", "folder of article files"),
    ),
  ).action(async (dir: string, options: CheckOptions) => exit(await runCheck(dir, options)));
  withReportOptions(
    program
      .command("reindex")
      .description("rebuild the index from DIR into a fresh index, then swap it in atomically")
      .argument("<dir>", "folder of article files"),
  ).action(async (dir: string, options: ReportOptions) => exit(await runIndexCommand("reindex", dir, options)));
  withReportOptions(
    program
      .command("sync")
      .description("one incremental pass: push what changed under DIR, remove what is gone")
      .argument("<dir>", "folder of article files"),
  ).action(async (dir: string, options: ReportOptions) => exit(await runIndexCommand("sync", dir, options)));
  program
    .command("watch")
    .description("sync DIR, then follow its changes until stopped (SIGINT/SIGTERM)")
    .argument("<dir>", "folder of article files")
    .action(async (dir: string) => exit(await runWatch(dir)));
  program
    .command("serve")
    .description("serve the HTTP API (search, posts, related posts, health)")
    .addOption(portOption())
    .action(async (options: { port?: number }) => exit(await runServe(options)));
  program
    .command("start")
    .description("embedded Meilisearch (unless MEILI_URL) + watch CONTENT_DIR + serve the API and demo page")
    .addOption(portOption())
    .action(async (options: { port?: number }) => exit(await runStart(options)));
  withRelatedOptions(
    program
      .command("related")
      .description("every post's related list, as GET /posts/:id/related answers it, from the live index or DIR")
      .argument("[dir]", "folder of article files (no server needed); without it, the live index"),
  ).action(async (dir: string | undefined, options: RelatedCommandOptions) => exit(await runRelated(dir, options)));
  program
    .command("search-key")
    .description("print the search-only key the API uses (set it as MEILI_SEARCH_KEY for `serve`)")
    .action(async () => exit(await runSearchKey()));
  return program;
}

async function main(): Promise<void> {
  let status: number = EXIT.ok;
  const program = buildProgram((code) => {
    status = code;
  });
  try {
    await program.parseAsync(process.argv);
  } catch (error) {
    if (error instanceof CommanderError) {
      if (error.code === "postindex.usage") process.stderr.write(`postindex: ${error.message}\n`);
      const helpShown = error.code === "commander.helpDisplayed" || error.code === "commander.version";
      process.exitCode = helpShown ? EXIT.ok : EXIT.usage;
      return;
    }
    process.stderr.write(`postindex: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = EXIT.failed;
    return;
  }
  process.exitCode = status;
}

await main();
