// `strata volume create|ls|inspect|rm|prune`, with docker's flags, tables
// and messages (prune: anonymous volumes, or with --all every unused one, as
// Docker 23 and later).

import { humanSize } from '../../humanize';
import type { VolumeSummary } from '../../api';
import type { CommandModule } from '../command';
import { commandGroup, subcommand } from '../group';
import { writeInspected } from '../inspectOutput';
import { listFormat, renderList } from '../views/list';
import { keyValueMap } from '../flagValues';
import { validateLabel } from './create';
import { filterMap } from '../queryFlags';
import { confirm } from './prune';
import { naturalLess } from './port';

const create: CommandModule = {
  flags: [
    { name: 'driver', short: 'd', type: 'string', default: 'local', help: 'Specify volume driver name' },
    { name: 'label', type: 'list', help: 'Set metadata for a volume', validate: validateLabel },
    { name: 'name', type: 'string', help: 'Specify volume name' },
    { name: 'opt', short: 'o', type: 'map', default: 'map[]', help: 'Set driver specific options' },
  ],
  args: { max: 1 },
  async run(cli, flags, [name]) {
    const wanted = name ?? flags.string('name');
    if (name !== undefined && flags.has('name') && name !== flags.string('name')) {
      throw new Error(`conflicting options: either specify --name or provide positional arg, not both`);
    }
    const v = await cli.client.call('volume.create', {
      ...(wanted ? { name: wanted } : {}),
      driver: flags.string('driver') ?? 'local',
      labels: keyValueMap(flags.list('label')),
      options: keyValueMap(flags.list('opt')),
    });
    cli.out(`${v.Name}\n`);
    return 0;
  },
};

const lsTable = 'table {{.Driver}}\t{{.Name}}';
const lsTitles = { Driver: 'DRIVER', Name: 'VOLUME NAME', Labels: 'LABELS', Links: 'LINKS', Mountpoint: 'MOUNTPOINT', Scope: 'SCOPE', Size: 'SIZE' };

/** A volume as docker's formatter sees it (keys in Go's order for --format json). */
function volumeRow(v: VolumeSummary) {
  return {
    Availability: 'N/A',
    Driver: v.driver,
    Group: 'N/A',
    Labels: Object.keys(v.labels).sort().map((k) => `${k}=${v.labels[k]}`).join(','),
    Links: 'N/A',
    Mountpoint: v.mountpoint,
    Name: v.name,
    Scope: 'local',
    Size: 'N/A',
    Status: 'N/A',
  };
}

const ls: CommandModule = {
  flags: [
    { name: 'filter', short: 'f', type: 'filter', help: "Provide filter values (e.g. 'dangling=true')" },
    { name: 'format', type: 'string', help: "Format output using a custom template: 'table', 'json' or a Go-style template" },
    { name: 'quiet', short: 'q', type: 'bool', help: 'Only display volume names' },
  ],
  args: { max: 0 },
  async run(cli, flags) {
    const volumes = (await cli.client.call('volume.list', { filters: filterMap(flags) })).sort((a, b) => naturalLess(a.name, b.name));
    cli.out(renderList(volumes.map(volumeRow), listFormat(flags.string('format'), flags.bool('quiet'), lsTable, '{{.Name}}'), lsTitles));
    return 0;
  },
};

const inspect: CommandModule = {
  flags: [{ name: 'format', short: 'f', type: 'string', help: 'Format output using a custom template' }],
  args: { min: 1 },
  run: (cli, flags, names) =>
    writeInspected(cli, names, flags.has('format') ? (flags.string('format') ?? '') : undefined, (name) => cli.client.call('volume.inspect', { name })),
};

const rm: CommandModule = {
  flags: [{ name: 'force', short: 'f', type: 'bool', help: 'Force the removal of one or more volumes' }],
  args: { min: 1 },
  async run(cli, flags, names) {
    let failed = false;
    for (const name of names) {
      try {
        await cli.client.call('volume.remove', { name, force: flags.bool('force') });
        cli.out(`${name}\n`);
      } catch (err) {
        cli.error(err);
        failed = true;
      }
    }
    return failed ? 1 : 0;
  },
};

const prune: CommandModule = {
  flags: [
    { name: 'all', short: 'a', type: 'bool', help: 'Remove all unused volumes, not just anonymous ones' },
    { name: 'filter', type: 'filter', help: "Provide filter values (e.g. 'label=<label>')" },
    { name: 'force', short: 'f', type: 'bool', help: 'Do not prompt for confirmation' },
  ],
  args: { max: 0 },
  async run(cli, flags) {
    const all = flags.bool('all');
    const warning = all
      ? 'WARNING! This will remove all local volumes not used by at least one container.'
      : 'WARNING! This will remove anonymous local volumes not used by at least one container.';
    if (!flags.bool('force') && !(await confirm(cli, `${warning}\nAre you sure you want to continue?`))) return 0;
    const report = await cli.client.call('volume.prune', { all, filters: filterMap(flags) });
    if (report.deleted.length > 0) cli.out(`Deleted Volumes:\n${report.deleted.map((n) => `${n}\n`).join('')}\n`);
    cli.out(`Total reclaimed space: ${humanSize(report.spaceReclaimed)}\n`);
    return 0;
  },
};

export const volume = commandGroup('volume', 'Manage volumes', [
  subcommand('create', '[OPTIONS] [VOLUME]', 'Create a volume', create),
  subcommand('inspect', '[OPTIONS] VOLUME [VOLUME...]', 'Display detailed information on one or more volumes', inspect),
  { ...subcommand('ls', '[OPTIONS]', 'List volumes', ls), aliases: ['list'] },
  subcommand('prune', '[OPTIONS]', 'Remove unused local volumes', prune),
  { ...subcommand('rm', '[OPTIONS] VOLUME [VOLUME...]', 'Remove one or more volumes', rm), aliases: ['remove'] },
]);
