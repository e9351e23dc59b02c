import type { RunReport } from "../report.js";
import type { CheckOutcome } from "../records/check-outcome.js";
import type { ReportItems } from "../records/report-builder.js";

/** A warning of the run report. */
type Warning = RunReport["warnings"][number];

/** An indexed record's pinned ids, where it was read. */
interface Pins {
  readonly file: string;
  readonly line: number | null;
  readonly item: number | null;
  readonly id: string;
  readonly pinned: readonly string[];
}

/**
 * `check`'s look at the editors' pins (`meta.related.pinned`): a pinned id that no indexed post
 * has (unknown, excluded, rejected), a post flagged `no_related` or the post itself is left out
 * of the related list, so the editor is warned, with the file, line, id and field
 * (`meta.related.pinned.N`). Fed every outcome of one scan ({@link PinnedIdCheck.note}); the
 * warnings are known once the whole folder is read ({@link PinnedIdCheck.warnings}).
 */
export class PinnedIdCheck {
  readonly #indexed = new Set<string>();
  readonly #keptOut = new Set<string>();
  /** Why an id that is not indexed is not: its exclusion reason, or `rejected`. */
  readonly #notIndexed = new Map<string, string>();
  readonly #pins: Pins[] = [];

  note(outcome: CheckOutcome): void {
    switch (outcome.kind) {
      case "indexed": {
        this.#indexed.add(outcome.id);
        const meta = outcome.record.meta;
        if (meta.flags?.no_related === true) this.#keptOut.add(outcome.id);
        const pinned = meta.related?.pinned ?? [];
        if (pinned.length > 0) {
          const { file, line, item, id } = outcome;
          this.#pins.push({ file, line, item, id, pinned });
        }
        break;
      }
      case "excluded":
        if (!this.#notIndexed.has(outcome.id)) this.#notIndexed.set(outcome.id, `excluded: ${outcome.reason}`);
        break;
      case "rejected":
        if (outcome.id !== null && !this.#notIndexed.has(outcome.id)) this.#notIndexed.set(outcome.id, "rejected");
        break;
      case "duplicate":
        break;
    }
  }

  /** One warning per pinned id that cannot be listed, in scan order; `items` learns where each one's record sits in an array file. */
  warnings(items?: ReportItems): Warning[] {
    const warnings: Warning[] = [];
    for (const { file, line, item, id, pinned } of this.#pins) {
      for (const [position, pinnedId] of pinned.entries()) {
        const problem = this.#problemWith(pinnedId, id);
        if (problem === undefined) continue;
        const warning = {
          file,
          line,
          id,
          field: `meta.related.pinned.${position}`,
          message: `pinned post ${JSON.stringify(pinnedId)} ${problem}; it is left out of the related list`,
        };
        warnings.push(warning);
        items?.note(warning, item);
      }
    }
    return warnings;
  }

  #problemWith(pinnedId: string, selfId: string): string | undefined {
    if (pinnedId === selfId) return "is this post itself";
    if (this.#keptOut.has(pinnedId)) return "is kept out of every related list (no_related)";
    if (this.#indexed.has(pinnedId)) return undefined;
    const reason = this.#notIndexed.get(pinnedId);
    return reason === undefined ? "is not indexed (no record has this id)" : `is not indexed (${reason})`;
  }
}
