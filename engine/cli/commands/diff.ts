// `strata diff CONTAINER`: what the container's writable layer changed, `C /path` a line.

import type { CommandModule } from '../command';

export const diff: CommandModule = {
  flags: [],
  args: { min: 1, max: 1 },
  async run(cli, _flags, args) {
    const changes = await cli.client.call('container.changes', { id: args[0] });
    cli.out(changes.map((c) => `${c.kind} ${c.path}\n`).join(''));
    return 0;
  },
};
