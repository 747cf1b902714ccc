// `strata stats [CONTAINER...]`: docker's table of resource use, redrawn
// every second in place (cursor home, each line cleared, the rest of the
// screen cleared, as the docker CLI draws it), or once with --no-stream.

import type { ContainerStats, StatsSample } from '../../api';
import type { CommandModule } from '../command';
import { listFormat, renderList } from '../views/list';
import { statsRow, statsTable, statsTitles } from '../views/stats';

export const stats: CommandModule = {
  flags: [
    { name: 'all', short: 'a', type: 'bool', help: 'Show all containers (default shows just running)' },
    { name: 'format', type: 'string', help: "Format output using a custom template: 'table', 'json' or a Go-style template" },
    { name: 'no-stream', type: 'bool', help: 'Disable streaming stats and only pull the first result' },
    { name: 'no-trunc', type: 'bool', help: 'Do not truncate output' },
  ],
  args: {},
  async run(cli, flags, args) {
    const format = listFormat(flags.string('format'), false, statsTable, '');
    const trunc = !flags.bool('no-trunc');
    const once = flags.bool('no-stream');
    // Named containers keep the name they were asked by ({{.Container}}); listed ones their id.
    const askedAs = (c: ContainerStats) => args.find((a) => a === c.name || a === `/${c.name}` || c.id.startsWith(a)) ?? c.id;
    const render = (sample: StatsSample) => {
      const rows = sample.containers.map((c) => statsRow(c, askedAs(c), trunc));
      const text = renderList(rows, format, statsTitles);
      if (once) cli.out(text);
      else cli.out(`\x1b[H${text.split('\n').slice(0, -1).map((line) => `${line}\x1b[K\n`).join('')}\x1b[J`);
    };
    await new Promise<void>((resolve, reject) => {
      cli.client.open('container.stats', { ...(args.length > 0 ? { ids: args } : {}), all: flags.bool('all'), once }, {
        onMessage: render,
        onEnd: (err) => (err ? reject(Object.assign(new Error(err.message), { code: err.code })) : resolve()),
      });
    });
    return 0;
  },
};
