// `strata network create|ls|inspect|rm|prune|connect|disconnect`, with
// docker's flags, tables and messages.

import type { NetworkSummary } from '../../api';
import type { CommandModule } from '../command';
import { commandGroup, subcommand } from '../group';
import { writeInspected } from '../inspectOutput';
import { goTimeString } from '../gotime';
import { naturalLess } from './port';
import { labelMap, validateLabel } from './create';
import { confirm } from './imagePrune';
import { listFormat, renderList, truncateId } from '../views/list';
import { OptionError } from '../session';

const create: CommandModule = {
  flags: [
    { name: 'attachable', type: 'bool', help: 'Enable manual container attachment' },
    { name: 'driver', short: 'd', type: 'string', default: 'bridge', help: 'Driver to manage the Network' },
    { name: 'gateway', type: 'list', help: 'IPv4 Gateway for the master subnet' },
    { name: 'internal', type: 'bool', help: 'Restrict external access to the network' },
    { name: 'ipv6', type: 'bool', help: 'Enable IPv6 networking' },
    { name: 'label', type: 'list', help: 'Set metadata on a network', validate: validateLabel },
    { name: 'opt', short: 'o', type: 'list', help: 'Set driver specific options' },
    { name: 'subnet', type: 'list', help: 'Subnet in CIDR format that represents a network segment' },
  ],
  args: { min: 1, max: 1 },
  async run(cli, flags, [name]) {
    if (flags.bool('ipv6')) throw new OptionError("Strata's networks are IPv4 only");
    const subnets = flags.list('subnet');
    const gateways = flags.list('gateway');
    if (subnets.length > 1 || gateways.length > 1) throw new OptionError("Strata's networks have one IPv4 subnet and gateway");
    const { id } = await cli.client.call('network.create', {
      name,
      driver: flags.string('driver') ?? 'bridge',
      ...(subnets[0] !== undefined ? { subnet: subnets[0] } : {}),
      ...(gateways[0] !== undefined ? { gateway: gateways[0] } : {}),
      internal: flags.bool('internal'),
      labels: labelMap(flags.list('label')),
      options: labelMap(flags.list('opt')),
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
    { name: 'format', type: 'string', help: "Format output using a custom template: 'table', 'json' or a Go-style template" },
    { name: 'no-trunc', type: 'bool', help: 'Do not truncate the output' },
    { name: 'quiet', short: 'q', type: 'bool', help: 'Only display network IDs' },
  ],
  args: { max: 0 },
  async run(cli, flags) {
    const networks = (await cli.client.call('network.list', {})).sort((a, b) => naturalLess(a.name, b.name));
    const rows = networks.map((n) => networkRow(n, !flags.bool('no-trunc')));
    cli.out(renderList(rows, listFormat(flags.string('format'), flags.bool('quiet'), lsTable, '{{.ID}}'), lsTitles));
    return 0;
  },
};

const inspect: CommandModule = {
  flags: [{ name: 'format', short: 'f', type: 'string', help: 'Format output using a custom template' }],
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
  flags: [{ name: 'force', short: 'f', type: 'bool', help: 'Do not prompt for confirmation' }],
  args: { max: 0 },
  async run(cli, flags) {
    if (!flags.bool('force') && !(await confirm(cli, 'WARNING! This will remove all custom networks not used by at least one container.'))) return 0;
    const { deleted } = await cli.client.call('network.prune', {});
    if (deleted.length > 0) cli.out(`Deleted Networks:\n${deleted.map((n) => `${n}\n`).join('')}`);
    return 0;
  },
};

const connect: CommandModule = {
  flags: [
    { name: 'alias', type: 'list', help: 'Add network-scoped alias for the container' },
    { name: 'ip', type: 'string', help: 'IPv4 address (e.g., 10.67.0.104)' },
  ],
  args: { min: 2, max: 2 },
  async run(cli, flags, [network, container]) {
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
  subcommand('ls', '[OPTIONS]', 'List networks', ls),
  subcommand('prune', '[OPTIONS]', 'Remove all unused networks', prune),
  subcommand('rm', 'NETWORK [NETWORK...]', 'Remove one or more networks', rm),
]);
