// The Meilisearch layer: the client and its transport, index settings, filters, the embedded server.
export * from "./client.js";
export * from "./errors.js";
export * from "./http.js";
export * from "./settings.js";
export * from "./settings-diff.js";
export * from "./search-key.js";
export * from "./filter.js";
export * from "./binary.js";
export * from "./master-key.js";
export * from "./embedded.js";
export * from "./connect.js";
