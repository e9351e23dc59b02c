// A `check` worker thread (started by check-workers-start.ts, run by check-pool.ts): told the
// folder's aliases and whether the lints run, it evaluates the batches of files it is sent and
// posts back each batch's outcomes, encoded. It loads the normaliser and zod once, on its own core.
import { parentPort, workerData } from "node:worker_threads";
import type { AliasTable } from "../check/content-config.js";
import { evaluateBatch, type FileBatch } from "./check-batch.js";
import type { CheckWorkerData, WorkerReadyMessage } from "./check-workers-start.js";
import { OutcomeEncoder, type EncodedOutcomes } from "./outcome-codec.js";
import { RecordFileReader } from "./record-file-reader.js";

/** The first message a worker gets: how to evaluate. */
export interface CheckWorkerSetup {
  aliases: AliasTable;
  /** Whether the content lints run: then an indexed record's facts are sent too. */
  facts: boolean;
}

/** A worker's answer to one {@link FileBatch}. */
export interface WorkerBatchResult {
  seq: number;
  counts: number[];
  encoded: EncodedOutcomes;
}

const { dir } = workerData as CheckWorkerData;
const port = parentPort;
if (port === null) throw new Error("check-worker.js runs as a worker thread (see check-pool.ts)");
const reader = new RecordFileReader();
let setup: {
  aliases: AliasTable;
  encoder: OutcomeEncoder;
  add: (outcome: Parameters<OutcomeEncoder["add"]>[0]) => void;
};
port.on("message", (message: CheckWorkerSetup | FileBatch) => {
  if (!("seq" in message)) {
    const encoder = new OutcomeEncoder(message.facts);
    setup = { aliases: message.aliases, encoder, add: (outcome) => encoder.add(outcome) };
    return;
  }
  const counts = evaluateBatch(dir, message.files, setup.aliases, reader, setup.add);
  const encoded = setup.encoder.take();
  const result: WorkerBatchResult = { seq: message.seq, counts, encoded };
  // oxlint-disable-next-line unicorn/require-post-message-target-origin -- a worker's port has no origin
  port.postMessage(result, [encoded.codes.buffer]);
});
// Its modules are loaded: it can be given work.
const ready: WorkerReadyMessage = { ready: true };
// oxlint-disable-next-line unicorn/require-post-message-target-origin -- a worker's port has no origin
port.postMessage(ready);
