import { startApi } from "../../api/index.js";
import type { RunReport } from "../../src/index.js";
import type { Config } from "../config.js";
import { loggerFor, openIndexer } from "../runtime.js";
import { countsLine } from "../report.js";
import { FolderWatcher } from "../../indexer/watch.js";
import { EXIT } from "../options.js";
import { untilSignal } from "../signals.js";

/**
 * `postindex start` (`npm start`): the embedded Meilisearch (unless `MEILI_URL`), a reconcile and
 * watch of the content folder, and the API with the demo page, in one process; Ctrl-C stops all
 * three cleanly. On a terminal the logs are kept to warnings and a one-screen summary is printed.
 */
export async function runStart(config: Config, options: { port?: number }): Promise<number> {
  const log = loggerFor(config, { quietOnTerminal: true });
  say(`postindex: starting (content ${config.contentDir})`);
  // As `watch`: the same context (and retry warnings) as the other commands, retrying without end.
  const runtime = await openIndexer(config, { retryForMs: Number.POSITIVE_INFINITY, log });
  const { connection } = runtime;
  let firstReport: RunReport | undefined;
  const watcher = new FolderWatcher(runtime.context, config.contentDir, {
    onApplied: ({ kind, files, report, changes }) => {
      if (firstReport === undefined) {
        firstReport = report;
        return;
      }
      const what = kind === "reconcile" ? "reconciled the folder" : `${files} file${files === 1 ? "" : "s"} changed`;
      say(
        `${new Date().toLocaleTimeString()} ${what}: ${changes.upserted} written, ${changes.deleted} deleted; ${countsLine(report)}`,
      );
      for (const rejected of report.rejected)
        say(`  rejected ${rejected.file}${rejected.line === null ? "" : `:${rejected.line}`}: ${rejected.message}`);
    },
  });
  try {
    await watcher.start();
    const api = await startApi({
      config,
      adminClient: connection.client,
      log,
      port: options.port ?? config.port,
      options: config.api,
    });
    const pageUrl = api.url.replace("127.0.0.1", "localhost");
    say(summary(pageUrl, connection.mode, connection.url, config.dataDir, config.contentDir, firstReport));
    await untilSignal();
    say("postindex: stopping …");
    await api.close();
  } finally {
    await watcher.stop();
    await runtime.close();
  }
  return EXIT.ok;
}

/** One line of the start-up summary, on stdout. */
function say(line: string): void {
  process.stdout.write(`${line}\n`);
}

function summary(
  pageUrl: string,
  mode: string,
  meiliUrl: string,
  dataDir: string,
  contentDir: string,
  report: RunReport | undefined,
): string {
  const server = mode === "external" ? `${meiliUrl} (MEILI_URL)` : `embedded, ${meiliUrl} (data in ${dataDir})`;
  const problems =
    report && report.rejected.length + report.warnings.length > 0
      ? `  (details: npx postindex check ${contentDir})`
      : "";
  return [
    "",
    "postindex is running",
    `  search page   ${pageUrl}/`,
    `  API           ${pageUrl}/search?q=cache   ${pageUrl}/openapi.json`,
    `  Meilisearch   ${server}`,
    `  content       ${contentDir}`,
    `                ${report ? countsLine(report) : "not read"}${problems}`,
    "  watching for changes; Ctrl-C to stop",
    "",
  ].join("\n");
}
