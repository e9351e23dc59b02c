import { measureCli } from "../process.js";
import { machineLine, saveSection } from "../results.js";

/** `postindex check` over the generated corpus: records per second and peak memory. */
export async function benchCheck(corpusDir: string, articles: number): Promise<void> {
  const runs = [];
  for (let attempt = 0; attempt < 3; attempt += 1) runs.push(await measureCli(["check", corpusDir, "--report", "/dev/null"]));
  const best = runs.reduce((a, b) => (b.ms < a.ms ? b : a));
  const rate = Math.round(articles / (best.ms / 1000));
  const peakMb = Math.max(...runs.map((run) => run.maxRssKb)) / 1024;
  await saveSection("check", {
    title: "check: parse, normalise, validate, classify",
    method: `\`postindex check DIR --report FILE\` (compiled, one process) over ${articles.toLocaleString("en-US")} generated records in 1,000-record NDJSON files (a third canonical, a third messy spellings, a third mixed); best wall time of 3 runs, process start included; peak RSS is the largest of the 3.`,
    measuredAt: new Date().toISOString().slice(0, 10),
    machine: machineLine(),
    figures: [
      { name: "records / s", value: rate.toLocaleString("en-US"), target: "≥ 20,000", met: rate >= 20_000 },
      { name: "wall time", value: `${(best.ms / 1000).toFixed(2)} s` },
      { name: "peak RSS", value: `${peakMb.toFixed(0)} MB`, target: "< 300 MB", met: peakMb < 300 },
    ],
  });
  console.log(`check: ${rate} records/s, peak ${peakMb.toFixed(0)} MB`);
}
