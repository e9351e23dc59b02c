import cliProgress from "cli-progress";

/** A progress bar on a terminal (stderr, so `--json` output stays clean); nothing otherwise. */
export interface ProgressBar {
  update(done: number, total: number, detail: string): void;
  stop(): void;
}

export function createProgressBar(
  label: string,
  stream: NodeJS.WriteStream = process.stderr,
  unit = "files",
): ProgressBar {
  if (!stream.isTTY) return { update() {}, stop() {} };
  const bar = new cliProgress.SingleBar(
    { format: `${label} [{bar}] {value}/{total} ${unit} | {detail}`, stream, hideCursor: true, clearOnComplete: true },
    cliProgress.Presets.shades_classic,
  );
  let started = false;
  return {
    update(done, total, detail) {
      if (!started) {
        bar.start(total, done, { detail });
        started = true;
      } else {
        bar.setTotal(total);
        bar.update(done, { detail });
      }
    },
    stop() {
      if (started) bar.stop();
    },
  };
}
