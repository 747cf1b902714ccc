// `ps`: the containers to show, newest first, chosen as dockerd's
// daemon/list.go chooses them: -a, -n (limit), and --filter id, name, label,
// status, ancestor, before, since, exited, health, volume, network,
// publish, expose, isolation, is-task, with its quirks kept (name and id are
// regular expressions; status implies -a; before/since walk the list in
// creation order; ancestor takes the image's local descendants too).

import { isLive, type ContainerListOptions, type ContainerSummary } from '../api';
import { invalidArgument, notFound } from '../errors';
import { FilterArgs, invalidFilter } from '../filters/args';
import { treeSize } from '../image/diskUsage';
import { mountPointsOf, type ContainerRow } from '../store/containers';
import type { PortMapping } from '../store/networks';
import { findContainer, type RuntimeContext } from './context';
import { refreshContainer } from './reconcile';
import { readHealth } from './monitorRecords';
import { summarize } from './status';

const acceptedFilters = [
  'ancestor', 'before', 'exited', 'id', 'isolation', 'label', 'name', 'status', 'health', 'since', 'volume', 'network', 'is-task', 'publish', 'expose',
];
const states = ['created', 'running', 'paused', 'restarting', 'removing', 'exited', 'dead'];
const healthStates = ['starting', 'healthy', 'unhealthy', 'none'];

/** "80", "80/udp", "8000-8080/tcp" → the set of "port/proto" it names (dockerd's portOp). */
function portSet(key: string, values: string[]): Set<string> {
  const ports = new Set<string>();
  for (const value of values) {
    if (value.includes(':')) throw invalidArgument(`filter for '${key}' should not contain ':': ${value}`);
    const [range, proto = 'tcp'] = value.split('/');
    const m = /^(\d+)(?:-(\d+))?$/.exec(range);
    const start = m ? Number(m[1]) : NaN;
    const end = m?.[2] !== undefined ? Number(m[2]) : start;
    if (!m || start > 65535 || end > 65535 || end < start) {
      throw invalidArgument(`error while looking up for ${key} ${value}: Invalid ${m ? 'range specified' : `start port '${range}'`}: ${range}`);
    }
    for (let p = start; p <= end; p++) ports.add(`${p}/${proto.toLowerCase()}`);
  }
  return ports;
}

/** An image and all its local descendants (dockerd's populateImageFilterByParents). */
function withDescendants(ctx: RuntimeContext, id: string, into: Set<string>): void {
  if (into.has(id)) return;
  into.add(id);
  for (const child of ctx.images.children(id)) withDescendants(ctx, child, into);
}

/** The mounts a container's `volume` filter looks at: each destination, and each volume's name or bind's source. */
function mountKeys(row: ContainerRow): string[] {
  return mountPointsOf(row.spec).flatMap((m) => [m.Destination, m.Name || m.Source]);
}

/** Docker's network filter: a network the container is on, by name, or by a prefix of its id. */
function onNetwork(ctx: RuntimeContext, row: ContainerRow, values: string[]): boolean {
  const names = row.spec.Networks && Object.keys(row.spec.Networks).length > 0 ? Object.keys(row.spec.Networks) : [row.spec.HostConfig.NetworkMode];
  const ids = names.map((n) => ctx.networks.byName(n)?.id).filter((id): id is string => id !== undefined);
  return values.some((v) => names.includes(v) || ids.some((id) => id.startsWith(v)));
}

/**
 * The candidates of dockerd's fast path: with `id` filters, the containers
 * each names by a unique id prefix; else with `name` filters, those whose
 * name matches; else every container (with `liveOnly`, every one whose
 * process may run: the others would be skipped). Newest first.
 */
function candidates(ctx: RuntimeContext, filters: FilterArgs, liveOnly: boolean): ContainerRow[] {
  const ids = filters.get('id');
  // An id prefix must be unique among all containers, whatever their state.
  const rows = ctx.containers.list(!liveOnly || ids.length > 0);
  if (ids.length > 0) {
    const found = new Set<string>();
    for (const value of ids) {
      const matches = rows.filter((r) => r.id.startsWith(value));
      if (value !== '' && matches.length === 1) found.add(matches[0].id);
    }
    return rows.filter((r) => found.has(r.id));
  }
  if (filters.contains('name')) return rows.filter((r) => filters.match('name', `/${r.name}`) || filters.match('name', r.name));
  return rows;
}

/** Docker's SizeRw (the writable layer) and SizeRootFs (that and the image's layers). */
export function containerSizes(ctx: RuntimeContext, row: ContainerRow): { sizeRw: number; sizeRootFs: number } {
  const sizeRw = treeSize(`${ctx.paths.containerDir(row.id)}/upper`);
  let image = 0;
  try {
    image = ctx.images.size(row.imageId);
  } catch {
    // its image is gone (removed with -f): only the writable layer is left
  }
  return { sizeRw, sizeRootFs: sizeRw + image };
}

function idOrName(ctx: RuntimeContext, value: string): ContainerRow {
  try {
    return findContainer(ctx, value);
  } catch {
    // dockerd's words here (its container view's), not its usual "No such container: x".
    throw notFound(`no such container ${value}`);
  }
}

/** `ps`: each container as its monitor last said (restarts, health, exits), filtered as dockerd filters. */
export async function listContainers(ctx: RuntimeContext, opts: ContainerListOptions): Promise<ContainerSummary[]> {
  const filters = new FilterArgs(opts.filters).validate(acceptedFilters);
  let all = !!opts.all;
  const limit = opts.limit ?? 0;
  const exited = filters.get('exited').map((v) => {
    if (!/^[+-]?\d+$/.test(v)) throw invalidArgument(`strconv.Atoi: parsing ${JSON.stringify(v)}: invalid syntax`);
    return Number(v);
  });
  for (const status of filters.get('status')) {
    if (!states.includes(status)) throw invalidFilter('status', status);
    all = true;
  }
  if (filters.contains('is-task') && !filters.exactMatch('is-task', 'true') && !filters.exactMatch('is-task', 'false')) {
    throw invalidFilter('is-task', filters.get('is-task'));
  }
  for (const health of filters.get('health')) {
    if (!healthStates.includes(health)) throw invalidArgument(`Unrecognised filter value for health: ${health}`);
  }
  let before = filters.get('before').map((v) => idOrName(ctx, v)).at(-1);
  const since = filters.get('since').map((v) => idOrName(ctx, v)).at(-1);
  let ancestors: Set<string> | undefined;
  if (filters.contains('ancestor')) {
    ancestors = new Set();
    for (const ancestor of filters.get('ancestor')) {
      let id: string;
      try {
        id = ctx.images.resolve(ancestor);
      } catch {
        continue; // dockerd only warns about an image it cannot find
      }
      withDescendants(ctx, id, ancestors);
    }
  }
  const publish = portSet('publish', filters.get('publish'));
  const expose = portSet('expose', filters.get('expose'));

  // The published ports of running containers, from their network endpoints.
  const published = new Map<string, PortMapping[]>();
  for (const e of ctx.networks.allEndpoints()) published.set(e.containerId, [...(published.get(e.containerId) ?? []), ...e.ports]);
  const out: ContainerSummary[] = [];
  // Without -a, -n, a status, before or since only running containers are shown: only their rows are read.
  const liveOnly = !all && limit <= 0 && before === undefined && since === undefined;
  for (const listed of candidates(ctx, filters, liveOnly)) {
    const row = isLive(listed.state) ? await refreshContainer(ctx, listed) : listed;
    if (!row) continue;
    if (before) {
      if (row.id === before.id) before = undefined;
      continue;
    }
    if (since && row.id === since.id) break;
    const running = isLive(row.state);
    if (!running && !all && limit <= 0) continue;
    if (!filters.match('name', `/${row.name}`) && !filters.match('name', row.name)) continue;
    if (!filters.match('id', row.id)) continue;
    if (filters.contains('is-task') && !filters.exactMatch('is-task', 'false')) continue; // no swarm tasks here
    if (!filters.matchKVList('label', row.spec.Config.Labels)) continue;
    if (!filters.exactMatch('isolation', 'default')) continue;
    if (limit > 0 && out.length === limit) break;
    if (exited.length > 0 && !(exited.includes(row.exitCode) && !running && row.startedAt !== 0)) continue;
    if (!filters.match('status', row.state)) continue;
    const health = row.state === 'running' ? readHealth(ctx, row)?.Status : undefined;
    if (!filters.exactMatch('health', health ?? 'none')) continue;
    if (filters.contains('volume') && !filters.get('volume').some((v) => mountKeys(row).includes(v))) continue;
    if (ancestors && !ancestors.has(row.imageId)) continue;
    if (filters.contains('network') && !onNetwork(ctx, row, filters.get('network'))) continue;
    const summary = summarize(row, published.get(row.id), health);
    if (publish.size > 0 || expose.size > 0) {
      if (!summary.ports.some((p) => publish.has(`${p.publicPort}/${p.type}`) || expose.has(`${p.privatePort}/${p.type}`))) continue;
    }
    if (opts.size) Object.assign(summary, containerSizes(ctx, row));
    out.push(summary);
  }
  return out;
}
