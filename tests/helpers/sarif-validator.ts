import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import AjvDraft04 from "ajv-draft-04";
import ajvFormats from "ajv-formats";

// CommonJS modules: their default export is `module.exports`, whose `default` is the export itself.
const Ajv = AjvDraft04.default;
const addFormats = ajvFormats.default;

const SCHEMA = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../fixtures/sarif/sarif-schema-2.1.0.json");

/**
 * A validator for SARIF 2.1.0 logs from the official JSON schema, vendored as OASIS publishes it
 * (sarif-spec, Schemata/sarif-schema-2.1.0.json, the errata01 text): draft-04, with its `uri`,
 * `uri-reference` and `date-time` formats checked.
 */
export function sarifValidator() {
  const schema = JSON.parse(readFileSync(SCHEMA, "utf8")) as object;
  const ajv = new Ajv({ allErrors: true, strict: false });
  addFormats(ajv);
  return ajv.compile(schema);
}
