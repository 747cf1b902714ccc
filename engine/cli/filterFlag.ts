// --filter values ("name=value", already checked and lower-cased by the
// flag's type) as the engine's filter arguments: { name: [values] }.

import type { Flags } from './flags';

export function filterMap(flags: Flags, name = 'filter'): Record<string, string[]> {
  const map: Record<string, string[]> = {};
  for (const value of flags.list(name)) {
    const eq = value.indexOf('=');
    (map[value.slice(0, eq)] ??= []).push(value.slice(eq + 1));
  }
  return map;
}
