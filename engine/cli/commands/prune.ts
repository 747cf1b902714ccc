// `strata container prune`, `image prune` and `system prune`: each asks
// first (unless -f), then prints what went and the space reclaimed, in
// docker's words; --filter until=, label=, label!= as dockerd reads them.
// System prune runs the container prune, the network prune, with --volumes
// the volume prune, then the image prune (dangling images, or with -a every
// image no container uses).

import { humanSize } from '../../humanize';
import type { CommandModule } from '../command';
import { filterMap } from '../queryFlags';
import type { Flags } from '../flags';
import type { Cli } from '../session';
import { deleteLines } from './rmi';

/** docker's PromptForConfirmation: true only for an answer of y or Y. */
export async function confirm(cli: Cli, message: string): Promise<boolean> {
  cli.out(`${message} [y/N] `);
  const answer = await new Promise<string>((resolve) => {
    let text = '';
    const done = () => {
      cli.stdin.off('data', onData);
      cli.stdin.off('end', done);
      cli.stdin.pause();
      resolve(text.split('\n')[0]!.trim());
    };
    const onData = (chunk: Buffer | string) => {
      text += chunk.toString();
      if (text.includes('\n')) done();
    };
    cli.stdin.on('data', onData);
    cli.stdin.on('end', done);
  });
  return answer === 'y' || answer === 'Y';
}

const forceFlag = { name: 'force', short: 'f', type: 'bool', help: 'Do not prompt for confirmation' } as const;

/** Runs a prune step; resolves to its output ('' when nothing went) and the bytes it freed. */
type PruneStep = (cli: Cli, flags: Flags) => Promise<{ output: string; reclaimed: number }>;

const pruneContainers: PruneStep = async (cli, flags) => {
  const report = await cli.client.call('container.prune', { filters: filterMap(flags) });
  const output = report.deleted.length > 0 ? `Deleted Containers:\n${report.deleted.map((id) => `${id}\n`).join('')}` : '';
  return { output, reclaimed: report.spaceReclaimed };
};

const pruneNetworks: PruneStep = async (cli, flags) => {
  const { deleted } = await cli.client.call('network.prune', { filters: filterMap(flags) });
  return { output: deleted.length > 0 ? `Deleted Networks:\n${deleted.map((n) => `${n}\n`).join('')}` : '', reclaimed: 0 };
};

/** As docker system prune --volumes: every unused local volume, named or not (Docker 20.10's volume prune). */
const pruneVolumes: PruneStep = async (cli, flags) => {
  const filters = filterMap(flags);
  delete filters.until;
  const report = await cli.client.call('volume.prune', { all: true, filters });
  return { output: report.deleted.length > 0 ? `Deleted Volumes:\n${report.deleted.map((n) => `${n}\n`).join('')}` : '', reclaimed: report.spaceReclaimed };
};

const pruneImages: PruneStep = async (cli, flags) => {
  const all = flags.bool('all');
  const filters = filterMap(flags);
  filters.dangling = [String(!all)];
  const report = await cli.client.call('image.prune', { filters });
  const output = report.deleted.length > 0 ? `Deleted Images:\n${deleteLines(report.deleted, { untagged: 'untagged: ', deleted: 'deleted: ' })}` : '';
  return { output, reclaimed: report.spaceReclaimed };
};

/** Runs the steps in order, printing each one's output, then the total. */
async function runPrune(cli: Cli, flags: Flags, steps: PruneStep[]): Promise<number> {
  let reclaimed = 0;
  for (const step of steps) {
    const result = await step(cli, flags);
    if (result.output !== '') cli.out(`${result.output}\n`);
    reclaimed += result.reclaimed;
  }
  cli.out(`Total reclaimed space: ${humanSize(reclaimed)}\n`);
  return 0;
}

export const containerPrune: CommandModule = {
  flags: [{ name: 'filter', type: 'filter', help: "Provide filter values (e.g. 'until=<timestamp>')" }, forceFlag],
  args: { max: 0 },
  async run(cli, flags) {
    if (!flags.bool('force') && !(await confirm(cli, 'WARNING! This will remove all stopped containers.\nAre you sure you want to continue?'))) return 0;
    return runPrune(cli, flags, [pruneContainers]);
  },
};

export const imagePrune: CommandModule = {
  flags: [
    { name: 'all', short: 'a', type: 'bool', help: 'Remove all unused images, not just dangling ones' },
    { name: 'filter', type: 'filter', help: "Provide filter values (e.g. 'until=<timestamp>')" },
    forceFlag,
  ],
  args: { max: 0 },
  async run(cli, flags) {
    const warning = flags.bool('all')
      ? 'WARNING! This will remove all images without at least one container associated to them.'
      : 'WARNING! This will remove all dangling images.';
    if (!flags.bool('force') && !(await confirm(cli, `${warning}\nAre you sure you want to continue?`))) return 0;
    return runPrune(cli, flags, [pruneImages]);
  },
};

/** docker's confirmation for system prune: what goes, and the filters that limit it. */
function systemWarning(flags: Flags): string {
  const warnings = ['all stopped containers', 'all networks not used by at least one container'];
  if (flags.bool('volumes')) warnings.push('all volumes not used by at least one container');
  warnings.push(flags.bool('all') ? 'all images without at least one container associated to them' : 'all dangling images');
  const filters = filterMap(flags);
  const shown = ['label', 'label!', 'until'].flatMap((name) => (filters[name] ?? []).map((v) => `${name}=${v}`)).sort();
  let text = `WARNING! This will remove:\n${warnings.map((w) => `  - ${w}\n`).join('')}`;
  if (shown.length > 0) text += `\n  Items to be pruned will be filtered with:\n${shown.map((f) => `  - ${f}\n`).join('')}`;
  return `${text}\nAre you sure you want to continue?`;
}

export const systemPrune: CommandModule = {
  flags: [
    { name: 'all', short: 'a', type: 'bool', help: 'Remove all unused images not just dangling ones' },
    { name: 'filter', type: 'filter', help: "Provide filter values (e.g. 'label=<key>=<value>')" },
    forceFlag,
    { name: 'volumes', type: 'bool', help: 'Prune volumes' },
  ],
  args: { max: 0 },
  async run(cli, flags) {
    if (flags.bool('volumes') && filterMap(flags).until) throw new Error('ERROR: The "until" filter is not supported with "--volumes"');
    if (!flags.bool('force') && !(await confirm(cli, systemWarning(flags)))) return 0;
    return runPrune(cli, flags, [pruneContainers, pruneNetworks, ...(flags.bool('volumes') ? [pruneVolumes] : []), pruneImages]);
  },
};
