// The API's public surface, for entry points (`postindex serve` / `start`) and tests.
export * from "./app.js";
export * from "./server.js";
export * from "./start-api.js";
export * from "./options.js";
