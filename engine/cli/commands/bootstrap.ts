// `strata bootstrap [REPOSITORY[:TAG]]`: makes the starter image from this
// machine's programs, so there is something to run without a registry.

import type { CommandModule } from '../command';

export const bootstrap: CommandModule = {
  flags: [],
  args: { max: 1 },
  async run(cli, _flags, args) {
    const { id, reference, warning } = await cli.client.call('image.bootstrap', args[0] !== undefined ? { reference: args[0] } : {});
    if (warning) cli.err(`WARNING: ${warning}\n`);
    cli.out(`${reference}\n${id}\n`);
    return 0;
  },
};
