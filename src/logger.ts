import { pino, type Logger } from "pino";

export type { Logger };

/**
 * Structured logs (pino, JSON lines on stderr so stdout stays for reports). Keys never reach a
 * log: the fields that could carry one are redacted wherever they appear.
 */
export function createLogger(level: string): Logger {
  return pino(
    {
      level,
      base: { name: "postindex" },
      redact: { paths: ["apiKey", "masterKey", "key", "*.apiKey", "*.masterKey", "*.key", "headers.authorization"], censor: "[redacted]" },
    },
    pino.destination({ dest: 2, sync: true }),
  );
}
