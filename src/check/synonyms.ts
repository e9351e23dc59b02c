import type { MeiliClient } from "../meili/client.js";
import type { AliasTable } from "./content-config.js";

/**
 * Meilisearch synonyms for the declared aliases: each variant finds the value meant (`k8s` →
 * `kubernetes`). One way is enough: the documents hold only the values meant (aliases are applied
 * before indexing), so a query for the variant must reach them, never the other way round.
 * Facets and entity types share one table; keys sorted, so the same aliases give the same setting.
 */
function synonymsOf(aliases: AliasTable): Record<string, string[]> {
  const meant = new Map<string, Set<string>>();
  for (const map of [...aliases.facets.values(), ...aliases.entities.values()]) {
    for (const [variant, value] of map) {
      const values = meant.get(variant) ?? new Set<string>();
      values.add(value);
      meant.set(variant, values);
    }
  }
  const synonyms: Record<string, string[]> = {};
  for (const variant of [...meant.keys()].sort()) synonyms[variant] = [...(meant.get(variant) as Set<string>)].sort();
  return synonyms;
}

/**
 * Sets index `uid`'s synonyms to the folder's aliases, when they differ from what it has (a read,
 * and a settings task only on a change), so full-text queries for `k8s` find `kubernetes` posts.
 */
export async function applySynonyms(client: MeiliClient, uid: string, aliases: AliasTable): Promise<void> {
  const wanted = synonymsOf(aliases);
  const index = client.index(uid);
  const current = await index.getSynonyms();
  if (sameSynonyms(current, wanted)) return;
  await client.waitForTask(index.updateSynonyms(wanted), { timeoutMs: 60_000 });
}

function sameSynonyms(a: Record<string, string[]>, b: Record<string, string[]>): boolean {
  const keys = Object.keys(a);
  if (keys.length !== Object.keys(b).length) return false;
  return keys.every((key) => {
    const left = [...(a[key] ?? [])].sort();
    const right = b[key];
    return right !== undefined && left.length === right.length && left.every((value, i) => value === right[i]);
  });
}
