// The core's public surface: what indexer/, api/, cli/ and bench/ use, by name. Tests import internals
// by their module path.

// Errors and their codes
export {
  BadRequestError,
  ERROR_CODES,
  MeiliTaskError,
  MeiliUnavailableError,
  NotFoundError,
  PostindexError,
  type ErrorCode,
} from "./errors.js";

// Records: finding, reading, evaluating and reporting article files
export { comparePaths, fileStamp, findRecordFiles, isRecordFilePath } from "./records/find-files.js";
export { evaluateFile, scanFolder, type ScanProgress } from "./records/scan-folder.js";
export { scanForIndexing } from "./records/index-scan.js";
export type { CheckOutcome } from "./records/check-outcome.js";
export { evaluateRecord, type RecordOutcome } from "./records/evaluate.js";
export { EventLoopSlices } from "./records/event-loop-slices.js";
export { addToReport } from "./records/report-builder.js";
export { emptyReport, type KeptDocument, type RunReport } from "./report.js";

// Search documents: what a record becomes in the index
export { FACETS, isFacet, type Facet, type RelatedControls, type SearchDocument } from "./document-types.js";
export { documentLine, preparedDocumentLine, toSearchDocument, type PreparedDocument } from "./document.js";
export { fromDocumentId, toDocumentId } from "./document-id.js";
export { normaliseFacetValue } from "./text/normalise-facet-value.js";

// Meilisearch: the client, settings, filters, the embedded server
export { createMeiliClient, MeiliClient, type TaskRef } from "./meili/client.js";
export { connectMeili, type MeiliConnection } from "./meili/connect.js";
export { startEmbeddedMeili, type EmbeddedMeili } from "./meili/embedded.js";
export { meiliErrorCode, toMeiliError } from "./meili/errors.js";
export { applySettings, verifySettings } from "./meili/settings.js";
export { filterAllOf, filterIn, quoteFilterValue, type FilterClause } from "./meili/filter.js";

// Search, posts and facet values
export { SEARCH_HIT_ATTRIBUTES, SEARCH_SORTS, type SearchQuery, type SearchSort } from "./search-query.js";
export { searchPostsJson, searchRequestFor, type SearchAnswer } from "./search-posts.js";
export { escapeHtml, MARK_CLOSE, MARK_OPEN } from "./search-highlight.js";
export { getPost } from "./posts.js";
export { searchFacetValues, type FacetValuesAnswer } from "./facet-values.js";
export { readServiceStatus, type ServiceStatus } from "./service-status.js";

// Related posts
export { DEFAULT_TYPE_WEIGHTS, type EntityRef } from "./related/score.js";
export { RELATED_FIELDS, RelatedIndex, type RelatedDocument } from "./related/related-index.js";
export { createIndexStamps } from "./related/index-stamps.js";
export { relatedForDocument, relatedForEntities, type RelatedAnswer } from "./related/retrieve.js";

// Logging, paths, small helpers
export { createLogger, type Logger } from "./logger.js";
export { EXAMPLE_CONTENT_DIR, packageVersion, PROJECT_ROOT } from "./project-paths.js";
export { tryParseJson } from "./text/parse-json.js";
