import { annotationMessage } from "./github.js";
import type { Finding } from "./findings.js";
import { RULES } from "./rules.js";

/** What the SARIF log is written from. */
export interface SarifInput {
  findings: readonly Finding[];
  /** A content-relative file as the path from the repository root (`/`-separated). */
  pathOf: (file: string) => string;
  /** postindex's version, for `tool.driver.version`. */
  version: string;
}

/** A relative path as a URI reference: each segment percent-encoded, the `/` kept. */
export function pathToUriReference(relativePath: string): string {
  return relativePath.split("/").map(encodeURIComponent).join("/");
}

const LEVEL = { error: "error", warning: "warning" } as const;

/**
 * A SARIF 2.1.0 log of one run: the driver lists every rule `check` knows (id, name, short and
 * full description, help text, default level), and each finding is a result pointing at its rule
 * by id and index, with its file as a URI relative to the repository root (where code-scanning
 * views resolve it) and its line when it has one.
 * @see https://docs.oasis-open.org/sarif/sarif/v2.1.0/sarif-v2.1.0.html
 */
export function sarifLog(input: SarifInput): object {
  const ruleIndex = new Map(RULES.map((rule, index) => [rule.id, index]));
  return {
    $schema: "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json",
    version: "2.1.0",
    runs: [
      {
        tool: {
          driver: {
            name: "postindex",
            version: input.version,
            rules: RULES.map((rule) => ({
              id: rule.id,
              name: rule.title.replace(/[^A-Za-z0-9]+(.)?/g, (_, next: string | undefined) =>
                (next ?? "").toUpperCase(),
              ),
              shortDescription: { text: rule.title },
              fullDescription: { text: rule.help },
              help: { text: rule.help },
              defaultConfiguration: { level: LEVEL[rule.defaultSeverity] },
            })),
          },
        },
        columnKind: "utf16CodeUnits",
        results: input.findings.map((finding) => ({
          ruleId: finding.rule,
          ruleIndex: ruleIndex.get(finding.rule) as number,
          level: LEVEL[finding.severity],
          message: { text: annotationMessage(finding) },
          locations: [
            {
              physicalLocation: {
                artifactLocation: { uri: pathToUriReference(input.pathOf(finding.file)) },
                ...(finding.line === null ? {} : { region: { startLine: finding.line } }),
              },
            },
          ],
          ...(finding.id === null ? {} : { properties: { recordId: finding.id } }),
        })),
      },
    ],
  };
}
