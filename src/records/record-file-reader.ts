import { closeSync, constants, fstatSync, openSync, readSync } from "node:fs";
import { fileStamp } from "./find-files.js";
import { parseLine, parseWholeFile, readFailure, type ParsedEntry } from "./parse-file.js";

/**
 * Bytes read at a time from an NDJSON file, and the size of the buffer kept between files. Small
 * on purpose: every record of a chunk is parsed before the first is evaluated, so a chunk's records
 * are alive together, and each young-generation collection copies what is alive. 64 KiB (~25
 * records) instead of 1 MiB halved the collector's time in a `check` of 20,000 NDJSON records
 * (scavenges ~960 ms → ~450 ms, `node --trace-gc`); the extra `read` calls cost nothing measurable.
 * Exported for the reader's tests, which place a CR LF pair on a chunk's end.
 */
export const CHUNK_BYTES = 1 << 16;
/** A buffer grown past this for one large file is dropped after it rather than kept for the scan. */
const KEPT_BUFFER_BYTES = 4 * CHUNK_BYTES;
/**
 * Opened without blocking: a FIFO where a record file was listed (or where a watcher was told of
 * one) reads as empty instead of holding the scan until someone writes to it. Regular files read
 * as they always do.
 */
const READ_NOW = constants.O_RDONLY | constants.O_NONBLOCK;
const LF = 0x0a;
const CR = 0x0d;

/**
 * Reads record files one after another, synchronously, into {@link ParsedEntry} batches: a
 * `*.json` file whole (one batch), an NDJSON file a 64 KiB chunk at a time (one batch of lines per
 * chunk, blank lines skipped, LF or CRLF), so memory stays flat however large the file.
 *
 * Why synchronous: reading a small file is four system calls (open, fstat, read, close). Through
 * libuv's thread pool each one is a round trip between threads, which on the 2-CPU machines this
 * runs on costs several times the CPU of the calls themselves (10,000 one-article files: ~1.5 s of
 * CPU with `fs.promises.readFile`, ~1.0 s even with 32 reads in flight, ~0.15 s with these calls);
 * that CPU is taken from Meilisearch during a reindex. Callers keep the event loop turning between
 * batches ({@link EventLoopSlices}). One reader serves a whole scan, so its read buffer is
 * allocated once; the `fstat` that sizes the read also gives the file's stamp.
 */
export class RecordFileReader {
  #buffer = Buffer.allocUnsafe(CHUNK_BYTES);
  #fd = -1;
  #lineDelimited = false;
  /** Whether `next()` has nothing more to give for the current file. */
  #ended = true;
  /** Why the current file could not be opened: its one entry. */
  #failure: ParsedEntry | undefined;
  /** Bytes expected in a whole file (its size when opened). */
  #size = 0;
  /** NDJSON: lines read so far, and bytes of an unfinished line kept at the buffer's start. */
  #line = 0;
  #pending = 0;

  /**
   * Starts reading the file at `absolute` (closing the previous one if still open).
   * @returns its stamp (`mtime:size`, {@link fileStamp}) as opened; undefined when it cannot be
   *   opened, and `next()` then gives one failure of scope `file` saying why.
   */
  open(absolute: string, lineDelimited: boolean): string | undefined {
    this.close();
    if (this.#buffer.length > KEPT_BUFFER_BYTES) this.#buffer = Buffer.allocUnsafe(CHUNK_BYTES);
    this.#lineDelimited = lineDelimited;
    this.#line = 0;
    this.#pending = 0;
    this.#failure = undefined;
    try {
      this.#fd = openSync(absolute, READ_NOW);
      const info = fstatSync(this.#fd);
      this.#size = info.size;
      return fileStamp(info);
    } catch (error) {
      this.close();
      this.#failure = readFailure(error, null);
      return undefined;
    } finally {
      this.#ended = false;
    }
  }

  /**
   * The next entries of the current file, in file order (possibly none, when a chunk held only
   * blank lines); undefined once the file is done, and then it is closed. Never throws: a file
   * that cannot be read gives a failure of scope `file` after the lines read before it.
   */
  next(): ParsedEntry[] | undefined {
    if (this.#ended) return undefined;
    if (this.#failure !== undefined) {
      const failure = this.#failure;
      this.#failure = undefined;
      this.#ended = true;
      return [failure];
    }
    return this.#lineDelimited ? this.#nextLines() : this.#wholeFile();
  }

  /** Releases the current file; idempotent. */
  close(): void {
    this.#ended = true;
    if (this.#fd === -1) return;
    const fd = this.#fd;
    this.#fd = -1;
    try {
      closeSync(fd);
    } catch {
      // Nothing was written; a failed close loses nothing.
    }
  }

  #wholeFile(): ParsedEntry[] {
    try {
      const length = this.#readAll();
      return parseWholeFile(this.#buffer.subarray(0, length));
    } catch (error) {
      return [readFailure(error, null)];
    } finally {
      this.close();
    }
  }

  /** Reads the file into the buffer: as many bytes as it had when opened, as `readFileSync` does. */
  #readAll(): number {
    if (this.#buffer.length < this.#size) this.#buffer = Buffer.allocUnsafe(this.#size);
    let length = 0;
    while (length < this.#size) {
      const read = readSync(this.#fd, this.#buffer, length, this.#size - length, null);
      if (read === 0) break;
      length += read;
    }
    return length;
  }

  #nextLines(): ParsedEntry[] {
    const entries: ParsedEntry[] = [];
    try {
      for (;;) {
        if (this.#pending === this.#buffer.length) this.#grow(this.#pending);
        const read = readSync(this.#fd, this.#buffer, this.#pending, this.#buffer.length - this.#pending, null);
        if (read === 0) {
          if (this.#pending > 0) this.#takeLine(0, this.#pending, entries);
          this.close();
          return entries;
        }
        const filled = this.#pending + read;
        const lastEnd = this.#buffer.lastIndexOf(LF, filled - 1);
        if (lastEnd < this.#pending) {
          // No line ends in what was just read: one long line, read on.
          this.#pending = filled;
          continue;
        }
        let start = 0;
        for (
          let end = this.#buffer.indexOf(LF, 0);
          end !== -1 && end <= lastEnd;
          end = this.#buffer.indexOf(LF, start)
        ) {
          this.#takeLine(start, end, entries);
          start = end + 1;
        }
        this.#pending = filled - start;
        this.#buffer.copyWithin(0, start, filled);
        return entries;
      }
    } catch (error) {
      entries.push(readFailure(error, this.#line === 0 ? null : this.#line + 1));
      this.close();
      return entries;
    }
  }

  /** Parses the line in `buffer[start, end)` (its LF excluded), dropping a CR before the LF. */
  #takeLine(start: number, end: number, entries: ParsedEntry[]): void {
    this.#line += 1;
    const stop = end > start && this.#buffer[end - 1] === CR ? end - 1 : end;
    const entry = parseLine(this.#buffer.subarray(start, stop), this.#line);
    if (entry !== undefined) entries.push(entry);
  }

  /** Doubles the buffer, keeping its first `keep` bytes (a line longer than it). */
  #grow(keep: number): void {
    const larger = Buffer.allocUnsafe(this.#buffer.length * 2);
    this.#buffer.copy(larger, 0, 0, keep);
    this.#buffer = larger;
  }
}
