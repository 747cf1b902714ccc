// --cap-add and --cap-drop as Docker reads them: names in any case, with or
// without CAP_, and ALL; then moby's TweakCapabilities on the default set.

import { invalidArgument } from '../errors';

/** "net_admin" -> "CAP_NET_ADMIN"; "all" -> "ALL"; unknown names refused (`what`: CapAdd or CapDrop). */
export function normalizeCapabilities(names: readonly string[], known: readonly string[], what: string): string[] {
  return names.map((name) => {
    const upper = name.trim().toUpperCase();
    if (upper === 'ALL') return 'ALL';
    const cap = upper.startsWith('CAP_') ? upper : `CAP_${upper}`;
    if (!known.includes(cap)) throw invalidArgument(`invalid ${what}: unknown capability: "${cap}"`);
    return cap;
  });
}

/**
 * The capability set: ALL added gives every one (`all`) but the dropped
 * ones; ALL dropped gives only the added ones; otherwise the defaults
 * without the dropped ones, plus the added ones.
 */
export function tweakCapabilities(
  defaults: readonly string[],
  adds: readonly string[],
  drops: readonly string[],
  all: readonly string[],
): string[] {
  if (adds.includes('ALL')) return all.filter((c) => !drops.includes(c));
  if (drops.includes('ALL')) return [...new Set(adds)];
  return [...new Set([...defaults.filter((c) => !drops.includes(c)), ...adds])];
}
