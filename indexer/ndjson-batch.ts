const LF = 0x0a;
/** UTF-8 needs at most 3 bytes per UTF-16 code unit. */
const MAX_BYTES_PER_UNIT = 3;
/** Buffers kept for reuse: as many as batches may be in hand at once (see the pusher's unsent limit). */
const MAX_SPARES = 3;

/**
 * NDJSON lines written straight into one reused buffer, as UTF-8, counting bytes as they are
 * encoded. Why not an array of line strings joined at send time: the lines of a batch (8 MiB,
 * ~2,000 documents) lived long enough to be promoted to V8's old generation, and collecting them
 * was a large share of a reindex's CPU; here each line is garbage as soon as it is written.
 */
export class NdjsonBatch {
  #buffer: Buffer;
  /** Bytes written: the lines and the LF between them. */
  #written = 0;
  #lines = 0;
  /** Buffers whose bytes were taken and not yet handed back, by the bytes given out. */
  readonly #lent = new Map<Buffer, Buffer>();
  readonly #spares: Buffer[] = [];

  constructor(initialBytes: number) {
    this.#buffer = Buffer.allocUnsafe(initialBytes);
  }

  /** Lines in the batch. */
  get lines(): number {
    return this.#lines;
  }

  /** The batch's size as counted for batching: each line's UTF-8 bytes plus one for its line end. */
  get size(): number {
    return this.#lines === 0 ? 0 : this.#written + 1;
  }

  /** Appends one line (it must not contain a line break: a `JSON.stringify` result never does). */
  add(line: string): void {
    if (this.#written + 1 + line.length * MAX_BYTES_PER_UNIT > this.#buffer.length)
      this.#makeRoom(1 + Buffer.byteLength(line));
    if (this.#lines > 0) this.#buffer[this.#written++] = LF;
    this.#written += this.#buffer.write(line, this.#written);
    this.#lines += 1;
  }

  /**
   * The batch's bytes (lines joined by LF, UTF-8), and the batch emptied for the next lines, which
   * go into another buffer: a spare one handed back by {@link NdjsonBatch.recycle}, or a new one.
   * Bytes, not text: decoding 8 MiB into a string and encoding it again on the way to the socket
   * cost ~2 s of CPU over a 20,000-article reindex. Not copied, and buffers reused, because on
   * these machines copying 8 MiB takes ~15 ms and first touching a new 8 MiB buffer ~50 ms.
   */
  take(): Buffer {
    const bytes = this.#buffer.subarray(0, this.#written);
    this.#lent.set(bytes, this.#buffer);
    this.#buffer = this.#spares.pop() ?? Buffer.allocUnsafe(this.#buffer.length);
    this.#written = 0;
    this.#lines = 0;
    return bytes;
  }

  /** Hands back bytes {@link NdjsonBatch.take} gave, once nothing reads them any more, for later batches. */
  recycle(taken: Buffer): void {
    const buffer = this.#lent.get(taken);
    if (buffer === undefined) return;
    this.#lent.delete(taken);
    if (this.#spares.length < MAX_SPARES) this.#spares.push(buffer);
  }

  #makeRoom(bytes: number): void {
    if (this.#written + bytes <= this.#buffer.length) return;
    const larger = Buffer.allocUnsafe(Math.max(this.#buffer.length * 2, this.#written + bytes));
    this.#buffer.copy(larger, 0, 0, this.#written);
    this.#buffer = larger;
  }
}
