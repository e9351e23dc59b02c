#!/usr/bin/env node
// Entry for `npx postindex`: runs the compiled CLI (built by `npm install` through `prepare`).
import "../dist/indexer/cli.js";
