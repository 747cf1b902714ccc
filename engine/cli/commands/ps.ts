// `strata ps`: docker's table, -q ids, or any --format (json: one object a line).

import type { CommandModule } from '../command';
import { containerRow, newestFirst, psTable, psTitles } from '../views/containers';
import { listFormat, renderList } from '../views/list';

export const ps: CommandModule = {
  flags: [
    { name: 'all', short: 'a', type: 'bool', help: 'Show all containers (default shows just running)' },
    { name: 'format', type: 'string', help: "Format output using a custom template: 'table', 'json' or a Go-style template" },
    { name: 'last', short: 'n', type: 'int', default: '-1', help: 'Show n last created containers (includes all states)' },
    { name: 'latest', short: 'l', type: 'bool', help: 'Show the latest created container (includes all states)' },
    { name: 'no-trunc', type: 'bool', help: "Don't truncate output" },
    { name: 'quiet', short: 'q', type: 'bool', help: 'Only display container IDs' },
  ],
  args: { max: 0 },
  async run(cli, flags) {
    const last = flags.bool('latest') ? 1 : (flags.int('last') ?? -1);
    // -n and -l look at every container, as docker's do.
    const containers = await cli.client.call('container.list', { all: flags.bool('all') || last > 0 });
    const trunc = !flags.bool('no-trunc');
    const now = Date.now();
    let sorted = newestFirst(containers);
    if (last > 0) sorted = sorted.slice(0, last);
    const rows = sorted.map((c) => containerRow(c, trunc, now));
    cli.out(renderList(rows, listFormat(flags.string('format'), flags.bool('quiet'), psTable, '{{.ID}}'), psTitles));
    return 0;
  },
};
