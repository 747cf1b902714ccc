// `strata ps`: docker's table, -q ids, or any --format (json: one object a
// line); -s adds each container's size; --filter as dockerd reads it.

import type { CommandModule } from '../command';
import type { FlagSpec, Flags } from '../flags';
import { filterMap } from '../queryFlags';
import { containerRow, psTable, psTitles } from '../views/containers';
import { listFormat, renderList } from '../views/list';

export const psFlags: readonly FlagSpec[] = [
  { name: 'all', short: 'a', type: 'bool', help: 'Show all containers (default shows just running)' },
  { name: 'filter', short: 'f', type: 'filter', help: 'Filter output based on conditions provided' },
  { name: 'format', type: 'string', help: 'Pretty-print containers using a Go template' },
  { name: 'last', short: 'n', type: 'int', default: '-1', help: 'Show n last created containers (includes all states)' },
  { name: 'latest', short: 'l', type: 'bool', help: 'Show the latest created container (includes all states)' },
  { name: 'no-trunc', type: 'bool', help: "Don't truncate output" },
  { name: 'quiet', short: 'q', type: 'bool', help: 'Only display container IDs' },
  { name: 'size', short: 's', type: 'bool', help: 'Display total file sizes' },
];

/** Sizes cost a walk of every writable layer: asked for with -s, or by a format that shows them (unless --size=false). */
function wantsSize(flags: Flags): boolean {
  if (flags.has('size')) return flags.bool('size');
  return !flags.bool('quiet') && (flags.string('format') ?? '').includes('.Size');
}

export const ps: CommandModule = {
  flags: psFlags,
  args: { max: 0 },
  async run(cli, flags) {
    const limit = flags.bool('latest') ? 1 : (flags.int('last') ?? -1);
    const size = wantsSize(flags);
    const containers = await cli.client.call('container.list', {
      all: flags.bool('all'),
      ...(limit > 0 ? { limit } : {}),
      ...(size ? { size } : {}),
      filters: filterMap(flags),
    });
    const trunc = !flags.bool('no-trunc');
    const now = Date.now();
    const rows = containers.map((c) => containerRow(c, trunc, now));
    const table = flags.bool('size') ? `${psTable}\t{{.Size}}` : psTable;
    cli.out(renderList(rows, listFormat(flags.string('format'), flags.bool('quiet'), table, '{{.ID}}'), psTitles));
    return 0;
  },
};
