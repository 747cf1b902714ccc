// `network ls --filter` and `network prune --filter`, as dockerd's
// daemon/network/filter.go and localNetworksPrune read them: driver, id
// and name (Go regular expressions for these two), label, scope, type
// (builtin or custom) and dangling (no container on it); prune: until,
// label, label!.

import type { NetworkSummary } from '../api';
import { invalidArgument } from '../errors';
import type { NetworkRecord } from '../store/networks';
import { FilterArgs } from './args';
import { pruneUntil } from './prune';

const listFilters = ['dangling', 'driver', 'id', 'label', 'name', 'scope', 'type'];

export function filterNetworks(networks: NetworkSummary[], filterMap?: Record<string, string[]>): NetworkSummary[] {
  const filters = new FilterArgs(filterMap).validate(listFilters);
  let shown = networks.filter(
    (n) =>
      filters.exactMatch('driver', n.driver) &&
      filters.match('name', n.name) &&
      filters.match('id', n.id) &&
      filters.matchKVList('label', n.labels) &&
      filters.exactMatch('scope', 'local'),
  );
  const dangling = filters.get('dangling');
  if (dangling.length > 1) throw invalidArgument('got more than one value for filter key "dangling"');
  if (dangling.length === 1) {
    if (!['0', 'false', '1', 'true'].includes(dangling[0])) {
      throw invalidArgument('invalid value for filter \'dangling\', must be "true" (or "1"), or "false" (or "0")');
    }
    const only = dangling[0] === '1' || dangling[0] === 'true';
    shown = shown.filter((n) => (only ? !n.predefined && n.endpoints.length === 0 : n.predefined || n.endpoints.length > 0));
  }
  if (filters.contains('type')) {
    const types = filters.get('type');
    for (const t of types) if (t !== 'builtin' && t !== 'custom') throw invalidArgument(`invalid filter: 'type'='${t}'`);
    shown = shown.filter((n) => types.includes(n.predefined ? 'builtin' : 'custom'));
  }
  return shown;
}

/** Which networks a prune may take: created before until, with the labels asked for. */
export function networkPruneFilter(filterMap?: Record<string, string[]>): (n: NetworkRecord) => boolean {
  const filters = new FilterArgs(filterMap).validate(['label', 'label!', 'until']);
  const until = pruneUntil(filters);
  return (n) => (until === undefined || n.created <= until) && filters.matchLabels(n.labels);
}
