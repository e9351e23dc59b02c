// The core's public surface: indexer/ and api/ import from here only.
export * from "./errors.js";
export * from "./document-types.js";
export * from "./document-id.js";
export * from "./document.js";
export * from "./report.js";
export * from "./records/schema.js";
export * from "./records/classify.js";
export * from "./records/evaluate.js";
export * from "./records/find-files.js";
export * from "./records/scan-folder.js";
export * from "./records/check-folder.js";
export * from "./records/report-builder.js";
export * from "./meili/index.js";
export * from "./config.js";
export * from "./logger.js";
