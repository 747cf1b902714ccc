// `strata network create|ls|inspect|rm|prune|connect|disconnect`, with
// docker's flags, tables and messages.

import type { NetworkSummary } from '../../api';
import type { CommandModule } from '../command';
import { commandGroup, subcommand } from '../group';
import { writeInspected } from '../inspectOutput';
import { goTimeString } from '../gotime';
import { naturalLess } from './port';
import { keyValueMap } from '../flagValues';
import { validateLabel } from './create';
import { filterMap } from '../queryFlags';
import { confirm } from './prune';
import { listFormat, renderList, truncateId } from '../views/list';
import type { Flags } from '../flags';
import { OptionError } from '../session';

/**
 * What Strata's networks have not: IPv6, more than one subnet, a sub-range
 * or reserved addresses for its IPAM, another IPAM driver, swarm's scope,
 * ingress and config-only networks. Refused as such, never ignored.
 */
function refuseUnlike(flags: Flags): void {
  if (flags.bool('ipv6')) throw new OptionError("Strata's networks are IPv4 only");
  if (flags.bool('ingress') || flags.bool('config-only') || flags.has('config-from')) throw new OptionError('swarm networks (--ingress, --config-only, --config-from) need a swarm: Strata is a single host');
  const scope = flags.string('scope');
  if (scope !== undefined && scope !== 'local') throw new OptionError(`scope ${scope} needs a swarm: Strata's networks are local`);
  const ipam = flags.string('ipam-driver');
  if (ipam !== undefined && ipam !== 'default') throw new OptionError(`IPAM driver ${ipam} not found: Strata allocates addresses itself (default)`);
  for (const name of ['ip-range', 'aux-address', 'ipam-opt']) {
    if (flags.list(name).length > 0) throw new OptionError(`--${name} is not supported by Strata's IPAM: one subnet, addresses given in order`);
  }
}

const create: CommandModule = {
  flags: [
    { name: 'attachable', type: 'bool', help: 'Enable manual container attachment' },
    { name: 'aux-address', type: 'map', default: 'map[]', help: 'Auxiliary IPv4 or IPv6 addresses used by Network driver' },
    { name: 'config-from', type: 'string', help: 'The network from which to copy the configuration' },
    { name: 'config-only', type: 'bool', help: 'Create a configuration only network' },
    { name: 'driver', short: 'd', type: 'string', default: 'bridge', help: 'Driver to manage the Network' },
    { name: 'gateway', type: 'strings', help: 'IPv4 or IPv6 Gateway for the master subnet' },
    { name: 'ingress', type: 'bool', help: 'Create swarm routing-mesh network' },
    { name: 'internal', type: 'bool', help: 'Restrict external access to the network' },
    { name: 'ip-range', type: 'strings', help: 'Allocate container ip from a sub-range' },
    { name: 'ipam-driver', type: 'string', default: 'default', help: 'IP Address Management Driver' },
    { name: 'ipam-opt', type: 'map', default: 'map[]', help: 'Set IPAM driver specific options' },
    { name: 'ipv6', type: 'bool', help: 'Enable IPv6 networking' },
    { name: 'label', type: 'list', help: 'Set metadata on a network', validate: validateLabel },
    { name: 'opt', short: 'o', type: 'map', default: 'map[]', help: 'Set driver specific options' },
    { name: 'scope', type: 'string', help: "Control the network's scope" },
    { name: 'subnet', type: 'strings', help: 'Subnet in CIDR format that represents a network segment' },
  ],
  args: { min: 1, max: 1 },
  async run(cli, flags, [name]) {
    refuseUnlike(flags);
    const subnets = flags.list('subnet');
    const gateways = flags.list('gateway');
    if (subnets.length > 1 || gateways.length > 1) throw new OptionError("Strata's networks have one IPv4 subnet and gateway");
    const { id } = await cli.client.call('network.create', {
      name,
      driver: flags.string('driver') ?? 'bridge',
      ...(subnets[0] !== undefined ? { subnet: subnets[0] } : {}),
      ...(gateways[0] !== undefined ? { gateway: gateways[0] } : {}),
      internal: flags.bool('internal'),
      labels: keyValueMap(flags.list('label')),
      options: keyValueMap(flags.list('opt')),
    });
    cli.out(`${id}\n`);
    return 0;
  },
};

const lsTable = 'table {{.ID}}\t{{.Name}}\t{{.Driver}}\t{{.Scope}}';
const lsTitles = { ID: 'NETWORK ID', Name: 'NAME', Driver: 'DRIVER', Scope: 'SCOPE', CreatedAt: 'CREATED', IPv6: 'IPV6', Internal: 'INTERNAL', Labels: 'LABELS' };

/** A network as docker's formatter sees it (keys in Go's order for --format json). */
function networkRow(n: NetworkSummary, trunc: boolean) {
  return {
    CreatedAt: goTimeString(Math.floor(n.created / 1e9)),
    Driver: n.driver,
    ID: trunc ? truncateId(n.id) : n.id,
    IPv6: 'false',
    Internal: String(n.internal),
    Labels: Object.keys(n.labels).sort().map((k) => `${k}=${n.labels[k]}`).join(','),
    Name: n.name,
    Scope: 'local',
  };
}

const ls: CommandModule = {
  flags: [
    { name: 'filter', short: 'f', type: 'filter', help: "Provide filter values (e.g. 'driver=bridge')" },
    { name: 'format', type: 'string', help: "Format output using a custom template: 'table', 'json' or a Go-style template" },
    { name: 'no-trunc', type: 'bool', help: 'Do not truncate the output' },
    { name: 'quiet', short: 'q', type: 'bool', help: 'Only display network IDs' },
  ],
  args: { max: 0 },
  async run(cli, flags) {
    const networks = (await cli.client.call('network.list', { filters: filterMap(flags) })).sort((a, b) => naturalLess(a.name, b.name));
    const rows = networks.map((n) => networkRow(n, !flags.bool('no-trunc')));
    cli.out(renderList(rows, listFormat(flags.string('format'), flags.bool('quiet'), lsTable, '{{.ID}}'), lsTitles));
    return 0;
  },
};

const inspect: CommandModule = {
  // -v: a swarm network's services and tasks; a local network has none, so it shows what it shows without.
  flags: [
    { name: 'format', short: 'f', type: 'string', help: 'Format the output using the given Go template' },
    { name: 'verbose', short: 'v', type: 'bool', help: 'Verbose output for diagnostics' },
  ],
  args: { min: 1 },
  run: (cli, flags, refs) => writeInspected(cli, refs, flags.has('format') ? (flags.string('format') ?? '') : undefined, (ref) => cli.client.call('network.inspect', { ref })),
};

const rm: CommandModule = {
  flags: [{ name: 'force', short: 'f', type: 'bool', help: 'Do not error if the network does not exist' }],
  args: { min: 1 },
  async run(cli, flags, refs) {
    let failed = false;
    for (const ref of refs) {
      try {
        await cli.client.call('network.remove', { ref });
        cli.out(`${ref}\n`);
      } catch (err) {
        if (flags.bool('force') && (err as { code?: string }).code === 'NotFound') continue;
        cli.error(err);
        failed = true;
      }
    }
    return failed ? 1 : 0;
  },
};

const prune: CommandModule = {
  flags: [
    { name: 'filter', type: 'filter', help: "Provide filter values (e.g. 'until=<timestamp>')" },
    { name: 'force', short: 'f', type: 'bool', help: 'Do not prompt for confirmation' },
  ],
  args: { max: 0 },
  async run(cli, flags) {
    const warning = 'WARNING! This will remove all custom networks not used by at least one container.\nAre you sure you want to continue?';
    if (!flags.bool('force') && !(await confirm(cli, warning))) return 0;
    const { deleted } = await cli.client.call('network.prune', { filters: filterMap(flags) });
    if (deleted.length > 0) cli.out(`Deleted Networks:\n${deleted.map((n) => `${n}\n`).join('')}\n`);
    return 0;
  },
};

const connect: CommandModule = {
  flags: [
    { name: 'alias', type: 'strings', help: 'Add network-scoped alias for the container' },
    { name: 'driver-opt', type: 'strings', help: 'driver options for the network' },
    { name: 'ip', type: 'string', help: 'IPv4 address (e.g., 172.30.100.104)' },
    { name: 'ip6', type: 'string', help: 'IPv6 address (e.g., 2001:db8::33)' },
    { name: 'link', type: 'list', help: 'Add link to another container' },
    { name: 'link-local-ip', type: 'strings', help: 'Add a link-local address for the container' },
  ],
  args: { min: 2, max: 2 },
  async run(cli, flags, [network, container]) {
    if (flags.has('ip6')) throw new OptionError("Strata's networks are IPv4 only");
    if (flags.list('link').length > 0) throw new OptionError('legacy links (--link) are not supported by Strata: containers on one user-defined network find each other by name');
    if (flags.list('link-local-ip').length > 0) throw new OptionError('link-local addresses are not supported by Strata');
    if (flags.list('driver-opt').length > 0) throw new OptionError('the bridge driver takes no per-connection options');
    await cli.client.call('network.connect', {
      network,
      container,
      ...(flags.has('alias') ? { aliases: flags.list('alias') } : {}),
      ...(flags.has('ip') ? { ipv4Address: flags.string('ip') } : {}),
    });
    return 0;
  },
};

const disconnect: CommandModule = {
  flags: [{ name: 'force', short: 'f', type: 'bool', help: 'Force the container to disconnect from a network' }],
  args: { min: 2, max: 2 },
  async run(cli, flags, [network, container]) {
    await cli.client.call('network.disconnect', { network, container, force: flags.bool('force') });
    return 0;
  },
};

export const network = commandGroup('network', 'Manage networks', [
  subcommand('connect', '[OPTIONS] NETWORK CONTAINER', 'Connect a container to a network', connect),
  subcommand('create', '[OPTIONS] NETWORK', 'Create a network', create),
  subcommand('disconnect', '[OPTIONS] NETWORK CONTAINER', 'Disconnect a container from a network', disconnect),
  subcommand('inspect', '[OPTIONS] NETWORK [NETWORK...]', 'Display detailed information on one or more networks', inspect),
  { ...subcommand('ls', '[OPTIONS]', 'List networks', ls), aliases: ['list'] },
  subcommand('prune', '[OPTIONS]', 'Remove all unused networks', prune),
  { ...subcommand('rm', 'NETWORK [NETWORK...]', 'Remove one or more networks', rm), aliases: ['remove'] },
]);
