import { lstat } from "node:fs/promises";
import path from "node:path";
import {
  addToReport,
  emptyReport,
  evaluateFile,
  toDocumentId,
  toSearchDocument,
  type KeptDocument,
  type RecordOutcome,
  type RunReport,
} from "../src/index.js";
import type { ContentRegistry } from "./content-registry.js";
import type { IndexerContext } from "./context.js";
import { IndexWriter, type SyncChanges } from "./index-writer.js";
import { FileDamage } from "./kept-documents.js";
import type { IndexState } from "./index-state.js";

/** What the indexer knows between passes: who claims which id, and what the index holds. */
export interface IndexModel {
  readonly registry: ContentRegistry;
  readonly state: IndexState;
}

/** One file's valid records by document id (first occurrence in the file), and what was wrong. */
interface FileEvaluation {
  readonly valid: Map<string, Extract<RecordOutcome, { kind: "indexed" | "excluded" }>>;
  readonly outcomes: RecordOutcome[];
  /** What could not be read, standing for some of the documents the file had. */
  readonly damage: FileDamage;
  /** Documents kept at their last good version for broken records, once claims are updated. */
  kept: Map<string, KeptDocument>;
}

/**
 * Brings the index in step with a set of changed, added or deleted files (relative paths). A
 * file's records are replaced as a set; an id another file also holds goes to the claimant whose
 * path sorts first, reading that file if needed; a broken file keeps its last good documents.
 * `model` is updated to what the index holds afterwards.
 */
export async function applyFileChanges(
  context: IndexerContext,
  dir: string,
  files: Iterable<string>,
  model: IndexModel,
): Promise<{ report: RunReport; changes: SyncChanges }> {
  const evaluations = new Map<string, FileEvaluation>();
  const affected = new Set<string>();
  for (const file of files) {
    const evaluation = await evaluateForSync(dir, file);
    evaluations.set(file, evaluation);
    for (const id of updateClaims(model.registry, file, evaluation)) affected.add(id);
  }
  const writer = new IndexWriter(context, context.indexUid, model.state);
  for (const documentId of affected) {
    const winner = model.registry.winnerOf(documentId);
    if (winner === undefined) {
      writer.remove(documentId);
      continue;
    }
    if (!evaluations.has(winner)) evaluations.set(winner, await evaluateForSync(dir, winner));
    const outcome = evaluations.get(winner)?.valid.get(documentId);
    if (outcome === undefined) writer.keepBroken();
    else if (outcome.kind === "indexed") await writer.upsert(toSearchDocument(outcome.record, outcome.file));
    else writer.remove(documentId);
  }
  const changes = await writer.finish();
  return { report: reportFor(files, evaluations, model.registry), changes };
}

/**
 * Replaces `file`'s claims with its valid records, plus the claims it had that its broken records
 * still stand for (their last good documents stay; {@link FileDamage} has the rule). Returns the
 * ids whose claimants changed.
 */
function updateClaims(registry: ContentRegistry, file: string, evaluation: FileEvaluation): Set<string> {
  const missing = [...registry.claimsOf(file)].filter((documentId) => !evaluation.valid.has(documentId));
  evaluation.kept = evaluation.damage.keptDocuments(file, missing);
  return registry.setClaims(file, [...evaluation.valid.keys(), ...evaluation.kept.keys()]);
}

async function evaluateForSync(dir: string, file: string): Promise<FileEvaluation> {
  const evaluation: FileEvaluation = { valid: new Map(), outcomes: [], damage: new FileDamage(), kept: new Map() };
  // lstat: a symbolic link is not a record file (the folder scan does not follow links either).
  const exists = await lstat(path.join(dir, file)).then(
    (info) => info.isFile(),
    () => false,
  );
  if (!exists) return evaluation;
  for await (const outcome of evaluateFile(dir, file)) {
    evaluation.outcomes.push(outcome);
    if (outcome.kind === "rejected") {
      evaluation.damage.note(outcome);
      continue;
    }
    const documentId = toDocumentId(outcome.id);
    if (!evaluation.valid.has(documentId)) evaluation.valid.set(documentId, outcome);
  }
  return evaluation;
}

/** The report of the changed files: each record as check would report it, duplicates resolved. */
function reportFor(
  files: Iterable<string>,
  evaluations: Map<string, FileEvaluation>,
  registry: ContentRegistry,
): RunReport {
  const report: RunReport = { ...emptyReport(), kept: [] };
  for (const file of files) {
    const evaluation = evaluations.get(file);
    if (!evaluation) continue;
    report.kept?.push(...evaluation.kept.values());
    const reported = new Set<string>();
    for (const outcome of evaluation.outcomes) {
      if (outcome.kind === "rejected") {
        addToReport(report, outcome);
        continue;
      }
      const documentId = toDocumentId(outcome.id);
      const winner = registry.winnerOf(documentId);
      const first = !reported.has(documentId);
      reported.add(documentId);
      if (winner === file && first) addToReport(report, outcome);
      else {
        const { id, line, item } = outcome;
        addToReport(report, { kind: "duplicate", id, file, line, item, kept: winner ?? file });
      }
    }
  }
  return report;
}
