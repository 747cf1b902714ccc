// What list and log commands ask the engine with: --filter values
// ("name=value", already checked and lower-cased by the flag's type) as its
// filter arguments { name: [values] }, and --since/--until as the docker CLI
// reads them before asking (unix nanoseconds).

import { parseTimestamp } from '../filters/timestamp';
import type { Flags } from './flags';
import { OptionError } from './session';

export function filterMap(flags: Flags, name = 'filter'): Record<string, string[]> {
  const map: Record<string, string[]> = {};
  for (const value of flags.list(name)) {
    const eq = value.indexOf('=');
    (map[value.slice(0, eq)] ??= []).push(value.slice(eq + 1));
  }
  return map;
}

export function timeFlag(flags: Flags, name: string): number | undefined {
  const value = flags.string(name);
  if (value === undefined || value === '') return undefined;
  try {
    return parseTimestamp(value);
  } catch (err) {
    throw new OptionError((err as Error).message);
  }
}
