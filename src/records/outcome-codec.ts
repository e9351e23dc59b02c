import { standIn, writtenScenario, type CheckOutcome, type RecordFacts } from "./check-outcome.js";
import type { RecordOutcome } from "./evaluate.js";
import type { FieldProblem } from "./validate.js";

/**
 * A batch of outcomes as a worker thread sends them: numbers in one transferable array, and the
 * strings the worker had not sent before. Structured-cloning the outcome objects themselves cost
 * the main thread ~25 µs a record (v8 deserialize; JSON.parse ~20 µs) — more than its share of
 * the work; rebuilding them from codes costs a few µs.
 */
export interface EncodedOutcomes {
  codes: Int32Array<ArrayBuffer>;
  /** Strings new to the decoder, in the order the encoder numbered them. */
  strings: string[];
}

const INDEXED = 0;
const EXCLUDED = 1;
const REJECTED = 2;
/** Stands for `undefined` / `null` / an absent list. */
const NONE = -1;

/**
 * Writes outcomes as {@link EncodedOutcomes}: every string by its number in a table the encoder
 * and its decoder build alike (a string is sent once, the first time it occurs), so a file name,
 * a facet value or a warning message crosses once per worker. `facts`: whether to send what the
 * content lints read of an indexed record (its facet values, entities, review date, whether
 * intro and summary are blank), or only what the report and the pinned-id check need.
 */
export class OutcomeEncoder {
  readonly #facts: boolean;
  readonly #numbers = new Map<string, number>();
  #next = 0;
  #strings: string[] = [];
  #codes = new Int32Array(4096);
  #length = 0;

  constructor(facts: boolean) {
    this.#facts = facts;
  }

  add(outcome: RecordOutcome): void {
    const kind = outcome.kind === "indexed" ? INDEXED : outcome.kind === "excluded" ? EXCLUDED : REJECTED;
    this.#push(kind);
    this.#push(this.#string(outcome.file));
    this.#push(outcome.line ?? NONE);
    this.#push(outcome.item ?? NONE);
    if (outcome.kind === "rejected") {
      this.#push(this.#maybe(outcome.id));
      this.#push(this.#maybe(outcome.field));
      this.#push(this.#string(outcome.message));
      this.#push(outcome.scope === "file" ? 0 : 1);
      return;
    }
    this.#push(this.#fresh(outcome.id));
    this.#warnings(outcome.warnings);
    if (outcome.kind === "excluded") {
      this.#push(this.#string(outcome.reason));
      return;
    }
    const { meta } = outcome.record;
    const noRelated = meta.flags?.no_related;
    this.#push(noRelated === undefined ? NONE : noRelated ? 1 : 0);
    this.#list(meta.related?.pinned);
    if (!this.#facts) return;
    const { intro } = outcome.record;
    this.#push(intro === undefined ? NONE : this.#string(standIn(intro)));
    this.#push(meta.summary === undefined ? NONE : this.#string(standIn(meta.summary)));
    this.#push(this.#maybe(meta.difficulty));
    this.#push(this.#maybe(meta.code_language));
    const scenario = writtenScenario(meta);
    this.#push(scenario?.writtenIn === "payload" ? this.#string(scenario.value) : NONE);
    this.#push(scenario?.writtenIn === "outline" ? this.#string(scenario.value) : NONE);
    this.#push(this.#maybe(meta.revision.last_reviewed));
    this.#list(meta.stack);
    this.#list(meta.tools);
    const entities = meta.entities;
    if (entities === undefined) {
      this.#push(NONE);
    } else {
      this.#push(entities.length);
      for (const entity of entities) {
        this.#push(this.#string(entity.type));
        this.#push(this.#string(entity.name));
      }
    }
  }

  /** The outcomes added since the last call; the string table carries on. */
  take(): EncodedOutcomes {
    const taken = { codes: this.#codes.slice(0, this.#length), strings: this.#strings };
    this.#strings = [];
    this.#length = 0;
    return taken;
  }

  #warnings(warnings: readonly FieldProblem[]): void {
    this.#push(warnings.length);
    for (const warning of warnings) {
      this.#push(this.#string(warning.field));
      this.#push(this.#string(warning.message));
    }
  }

  #list(list: readonly string[] | undefined): void {
    if (list === undefined) {
      this.#push(NONE);
      return;
    }
    this.#push(list.length);
    for (const value of list) this.#push(this.#string(value));
  }

  #maybe(text: string | null | undefined): number {
    return text === undefined || text === null ? NONE : this.#string(text);
  }

  #string(text: string): number {
    let number = this.#numbers.get(text);
    if (number === undefined) {
      number = this.#fresh(text);
      this.#numbers.set(text, number);
    }
    return number;
  }

  /** A string sent without looking it up (a record id: almost never seen twice). */
  #fresh(text: string): number {
    this.#strings.push(text);
    const number = this.#next;
    this.#next += 1;
    return number;
  }

  #push(code: number): void {
    if (this.#length === this.#codes.length) {
      const larger = new Int32Array(this.#codes.length * 2);
      larger.set(this.#codes);
      this.#codes = larger;
    }
    this.#codes[this.#length] = code;
    this.#length += 1;
  }
}

/** Rebuilds one {@link OutcomeEncoder}'s outcomes; batches must be decoded in the order they were taken. */
export class OutcomeDecoder {
  readonly #withFacts: boolean;
  readonly #table: string[] = [];
  #codes: Int32Array = new Int32Array(0);
  #at = 0;

  /** `facts`: as the encoder was told. */
  constructor(facts: boolean) {
    this.#withFacts = facts;
  }

  decode(encoded: EncodedOutcomes): CheckOutcome[] {
    for (const text of encoded.strings) this.#table.push(text);
    this.#codes = encoded.codes;
    this.#at = 0;
    const outcomes: CheckOutcome[] = [];
    while (this.#at < this.#codes.length) outcomes.push(this.#outcome());
    return outcomes;
  }

  #outcome(): CheckOutcome {
    const kind = this.#code();
    const file = this.#string();
    const lineCode = this.#code();
    const line = lineCode === NONE ? null : lineCode;
    const itemCode = this.#code();
    const item = itemCode === NONE ? null : itemCode;
    if (kind === REJECTED) {
      const id = this.#maybe() ?? null;
      const field = this.#maybe() ?? null;
      const message = this.#string();
      const scope = this.#code() === 0 ? "file" : "record";
      return { kind: "rejected", file, line, item, id, field, message, scope };
    }
    const id = this.#string();
    const warnings = this.#warnings();
    if (kind === EXCLUDED) {
      const reason = this.#string() as Extract<CheckOutcome, { kind: "excluded" }>["reason"];
      return { kind: "excluded", file, line, item, id, reason, warnings };
    }
    return { kind: "indexed", file, line, item, id, record: this.#facts(), warnings };
  }

  /** The record's facts ({@link RecordFacts}), as the encoder wrote them. */
  #facts(): RecordFacts {
    const facts: RecordFacts = { meta: { revision: {} } };
    const { meta } = facts;
    const noRelated = this.#code();
    if (noRelated !== NONE) meta.flags = { no_related: noRelated === 1 };
    const pinned = this.#list();
    if (pinned !== undefined) meta.related = { pinned };
    if (!this.#withFacts) return facts;
    const intro = this.#maybe();
    if (intro !== undefined) facts.intro = intro;
    const summary = this.#maybe();
    if (summary !== undefined) meta.summary = summary;
    const difficulty = this.#maybe();
    if (difficulty !== undefined) meta.difficulty = difficulty;
    const codeLanguage = this.#maybe();
    if (codeLanguage !== undefined) meta.code_language = codeLanguage;
    const scenario = this.#maybe();
    if (scenario !== undefined) meta.payload = { scenario };
    const context = this.#maybe();
    if (context !== undefined) meta.ai_outline = { context };
    const lastReviewed = this.#maybe();
    if (lastReviewed !== undefined) meta.revision.last_reviewed = lastReviewed;
    const stack = this.#list();
    if (stack !== undefined) meta.stack = stack;
    const tools = this.#list();
    if (tools !== undefined) meta.tools = tools;
    const count = this.#code();
    if (count !== NONE) {
      const entities: { type: string; name: string }[] = [];
      for (let index = 0; index < count; index += 1) entities.push({ type: this.#string(), name: this.#string() });
      meta.entities = entities;
    }
    return facts;
  }

  #warnings(): FieldProblem[] {
    const count = this.#code();
    const warnings: FieldProblem[] = [];
    for (let index = 0; index < count; index += 1) warnings.push({ field: this.#string(), message: this.#string() });
    return warnings;
  }

  #list(): string[] | undefined {
    const count = this.#code();
    if (count === NONE) return undefined;
    const list: string[] = [];
    for (let index = 0; index < count; index += 1) list.push(this.#string());
    return list;
  }

  #code(): number {
    const code = this.#codes[this.#at] as number;
    this.#at += 1;
    return code;
  }

  #string(): string {
    return this.#table[this.#code()] as string;
  }

  #maybe(): string | undefined {
    const code = this.#code();
    return code === NONE ? undefined : this.#table[code];
  }
}
