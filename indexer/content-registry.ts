import { comparePaths } from "../src/index.js";

/**
 * Which files claim which document ids (valid records only: indexed, excluded or duplicate), so
 * that the winner of an id — the claiming file whose path sorts first — can be found again when a
 * file changes or goes away. What the watcher needs to let the next file take over a duplicate id.
 */
export class ContentRegistry {
  readonly #claimsByFile = new Map<string, Set<string>>();
  readonly #claimantsById = new Map<string, Set<string>>();

  /** Replaces `file`'s claims; returns every id whose claimants changed (old ∪ new). */
  setClaims(file: string, documentIds: Iterable<string>): Set<string> {
    const next = new Set(documentIds);
    const previous = this.#claimsByFile.get(file) ?? new Set<string>();
    for (const id of previous) if (!next.has(id)) this.#unclaim(id, file);
    for (const id of next) if (!previous.has(id)) this.#claim(id, file);
    if (next.size > 0) this.#claimsByFile.set(file, next);
    else this.#claimsByFile.delete(file);
    return new Set([...previous, ...next]);
  }

  /** Adds one claim (a full scan registers records as it reads them). */
  addClaim(file: string, documentId: string): void {
    const claims = this.#claimsByFile.get(file) ?? new Set<string>();
    claims.add(documentId);
    this.#claimsByFile.set(file, claims);
    this.#claim(documentId, file);
  }

  claimsOf(file: string): ReadonlySet<string> {
    return this.#claimsByFile.get(file) ?? new Set();
  }

  /** The file whose copy of `documentId` counts: the claimant whose path sorts first. */
  winnerOf(documentId: string): string | undefined {
    let winner: string | undefined;
    for (const file of this.#claimantsById.get(documentId) ?? []) {
      if (winner === undefined || comparePaths(file, winner) < 0) winner = file;
    }
    return winner;
  }

  #claim(id: string, file: string): void {
    const claimants = this.#claimantsById.get(id) ?? new Set<string>();
    claimants.add(file);
    this.#claimantsById.set(id, claimants);
  }

  #unclaim(id: string, file: string): void {
    const claimants = this.#claimantsById.get(id);
    claimants?.delete(file);
    if (claimants?.size === 0) this.#claimantsById.delete(id);
  }
}
