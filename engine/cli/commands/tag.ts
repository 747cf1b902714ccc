// `strata tag SOURCE_IMAGE[:TAG] TARGET_IMAGE[:TAG]`: one more name for an image.

import type { CommandModule } from '../command';

export const tag: CommandModule = {
  flags: [],
  args: { min: 2, max: 2 },
  async run(cli, _flags, [source, target]) {
    await cli.client.call('image.tag', { source, target });
    return 0;
  },
};
