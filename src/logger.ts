import { createRequire } from "node:module";
import { pino, type Logger } from "pino";
import type { PrettyOptions, PrettyStream } from "pino-pretty";

/** pino-pretty is loaded only for a terminal (~60 ms of start-up that JSON logs never need). */
const loadPretty = (): ((options: PrettyOptions) => PrettyStream) =>
  createRequire(import.meta.url)("pino-pretty") as (options: PrettyOptions) => PrettyStream;

export type { Logger };

export interface LoggerOptions {
  /** Readable, coloured lines for a person at a terminal instead of JSON. @default false */
  readonly pretty?: boolean;
}

/**
 * Structured logs on stderr (stdout stays for reports): JSON lines for machines, or readable lines
 * when `pretty` (entry points pass it when stderr is a terminal). Keys never reach a log: the
 * fields that could carry one are redacted wherever they appear.
 */
export function createLogger(level: string, options: LoggerOptions = {}): Logger {
  const settings = {
    level,
    base: { name: "postindex" },
    redact: {
      paths: ["apiKey", "masterKey", "key", "*.apiKey", "*.masterKey", "*.key", "headers.authorization"],
      censor: "[redacted]",
    },
  };
  const destination: PrettyStream | pino.DestinationStream = options.pretty
    ? loadPretty()({ destination: 2, sync: true, ignore: "pid,hostname,name", translateTime: "HH:MM:ss" })
    : pino.destination({ dest: 2, sync: true });
  return pino(settings, destination);
}
