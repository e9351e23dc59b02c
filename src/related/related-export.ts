import { toRelatedFields } from "../document.js";
import { scanWithProgress, type ScanProgress } from "../records/scan-folder.js";
import { answerText, exportEnd, type RelatedExportFormat } from "./export-ranking.js";
import { RelatedIndex, type RelatedDocument } from "./related-index.js";
import type { RelatedAnswer } from "./retrieve.js";

/**
 * Every post's related list at once, for a static-site build (`postindex related`): the answer
 * `GET /posts/:id/related` gives, computed from the same in-memory related-posts index with the
 * same ranking and pruning, for every post, in record id order. The index comes from the live
 * Meilisearch index (as the API loads it) or straight from a content folder
 * ({@link relatedIndexFromFolder}, no server), holding exactly the posts the indexer would index.
 */

/** The related-posts index of the posts a content folder would index, read the way `reindex` reads it. */
export interface FolderRelatedIndex {
  readonly index: RelatedIndex;
  /** Records found: indexed (the posts held), excluded, rejected, duplicate ids. */
  readonly counts: { indexed: number; excluded: number; rejected: number; duplicates: number };
}

/**
 * Reads every record under `dir` (parse, normalise, validate, classify, first file of an id wins)
 * and keeps, of each indexed one, the fields the related-posts index needs, as its search
 * document has them: the index answers as the API's would over the same folder indexed.
 * `onDocument` sees each of them as it is read (an export's ranking workers take them from there).
 */
export async function relatedIndexFromFolder(
  dir: string,
  onProgress?: (progress: ScanProgress) => void,
  onDocument?: (document: RelatedDocument) => void,
): Promise<FolderRelatedIndex> {
  // Filled as the posts are read, so no post is held twice: its posts are numbered in reading
  // order rather than freshest first, which changes no answer (see `ranking-worker.ts`).
  const index = new RelatedIndex();
  const counts = { indexed: 0, excluded: 0, rejected: 0, duplicates: 0 };
  await scanWithProgress(dir, {
    onRecord(outcome) {
      if (outcome.kind === "excluded") counts.excluded += 1;
      else if (outcome.kind === "rejected") counts.rejected += 1;
      else if (outcome.kind === "duplicate") counts.duplicates += 1;
      else {
        counts.indexed += 1;
        const document = toRelatedFields(outcome.record);
        index.upsert(document);
        onDocument?.(document);
      }
    },
    onProgress,
  });
  return { index, counts };
}

/**
 * The export's text, in pieces to write one after the other: for `ndjson` one line per answer;
 * for `json`, `{"<id>": <answer>, …}` with one post per line.
 */
export function* exportText(answers: Iterable<RelatedAnswer>, format: RelatedExportFormat): Generator<string> {
  let position = 0;
  for (const answer of answers) yield answerText(answer, format, position++);
  const end = exportEnd(format, position);
  if (end !== "") yield end;
}
