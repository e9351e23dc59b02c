// A `check` worker thread (started by check-workers-start.ts, run by check-pool.ts): told the
// folder's aliases, whether the lints run and whether an indexing pass runs, it evaluates the
// batches of files it is sent and posts back each batch's outcomes, encoded (for an indexing pass
// with each indexed record's document, built here, and each file's stamp). It loads the
// normaliser and zod once, on its own core.
import { parentPort, workerData } from "node:worker_threads";
import type { AliasTable } from "../check/content-config.js";
import { evaluateBatch, type BatchResult, type BatchSetup, type FileBatch } from "./check-batch.js";
import type { CheckWorkerData, WorkerReadyMessage } from "./check-workers-start.js";
import { OutcomeEncoder, type EncodedOutcomes } from "./outcome-codec.js";
import { RecordFileReader } from "./record-file-reader.js";

/** The first message a worker gets: how to evaluate. */
export interface CheckWorkerSetup {
  aliases: AliasTable;
  /** Whether the content lints run: then an indexed record's facts are sent too. */
  facts: boolean;
  /** Whether an indexing pass runs: then each indexed record's document and each file's stamp are sent too. */
  documents: boolean;
}

/** A worker's answer to one {@link FileBatch}: a `BatchResult` with its outcomes encoded. */
export type WorkerBatchResult = Omit<BatchResult, "outcomes"> & { seq: number; encoded: EncodedOutcomes };

const { dir } = workerData as CheckWorkerData;
const port = parentPort;
if (port === null) throw new Error("check-worker.js runs as a worker thread (see check-pool.ts)");
const reader = new RecordFileReader();
let setup: BatchSetup & { encoder: OutcomeEncoder };
port.on("message", (message: CheckWorkerSetup | FileBatch) => {
  if (!("seq" in message)) {
    const { aliases, facts, documents } = message;
    setup = { dir, aliases, reader, documents, encoder: new OutcomeEncoder(facts) };
    return;
  }
  const { encoder } = setup;
  const evaluated = evaluateBatch(setup, message.files, (outcome) => encoder.add(outcome));
  const encoded = encoder.take();
  const result: WorkerBatchResult = { seq: message.seq, encoded, ...evaluated };
  // oxlint-disable-next-line unicorn/require-post-message-target-origin -- a worker's port has no origin
  port.postMessage(result, [encoded.codes.buffer]);
});
// Its modules are loaded: it can be given work.
const ready: WorkerReadyMessage = { ready: true };
// oxlint-disable-next-line unicorn/require-post-message-target-origin -- a worker's port has no origin
port.postMessage(ready);
