// `strata rename CONTAINER NEW_NAME`: silent on success; on failure the
// reason, then docker's summary line.

import type { CommandModule } from '../command';

export const rename: CommandModule = {
  flags: [],
  args: { min: 2, max: 2 },
  async run(cli, _flags, [id, name]) {
    if (id.trim() === '' || name.trim() === '') throw new Error('Neither old nor new names may be empty');
    try {
      await cli.client.call('container.rename', { id, name });
    } catch (err) {
      cli.error(err);
      cli.err(`Error: failed to rename container named ${id}\n`);
      return 1;
    }
    return 0;
  },
};
