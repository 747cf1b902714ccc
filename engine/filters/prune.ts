// The `until` filter every prune takes (dockerd's getUntilFromPruneFilters):
// one timestamp or duration, in unix nanoseconds.

import { invalidArgument } from '../errors';
import type { FilterArgs } from './args';
import { parseTimestamp } from './timestamp';

export function pruneUntil(filters: FilterArgs): number | undefined {
  const values = filters.get('until');
  if (values.length === 0) return undefined;
  if (values.length > 1) throw invalidArgument('more than one until filter specified');
  return parseTimestamp(values[0]);
}
