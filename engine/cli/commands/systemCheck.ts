// `strata system check`: undoes what a killed engine or container monitor
// left wired (the next engine to open does the same), one line per thing.

import type { CommandModule } from '../command';

export const systemCheck: CommandModule = {
  flags: [],
  args: { max: 0 },
  async run(cli) {
    const { cleaned } = await cli.client.call('system.check', {});
    cli.out(cleaned.length > 0 ? cleaned.map((l) => `${l}\n`).join('') : 'Nothing to clean.\n');
    return 0;
  },
};
