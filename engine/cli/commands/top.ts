// `strata top CONTAINER [ps OPTIONS]`: the container's processes, as ps shows them.

import type { CommandModule } from '../command';
import { tabwrite } from '../tabwriter';

export const top: CommandModule = {
  flags: [],
  args: { min: 1 },
  interspersed: false,
  async run(cli, _flags, args) {
    const [id, ...psArgs] = args;
    const table = await cli.client.call('container.top', { id, ...(psArgs.length > 0 ? { psArgs: psArgs.join(' ') } : {}) });
    const lines = [table.titles, ...table.processes].map((cells) => cells.join('\t'));
    cli.out(tabwrite(lines.join('\n') + '\n', { minWidth: 20, padding: 3 }));
    return 0;
  },
};
