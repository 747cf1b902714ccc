// `strata commit [OPTIONS] CONTAINER [REPOSITORY[:TAG]]`: the container's
// writable layer becomes a new image; prints its id.

import type { CommandModule } from '../command';

export const commit: CommandModule = {
  flags: [
    { name: 'author', short: 'a', type: 'string', help: 'Author (e.g., "John Hannibal Smith <hannibal@a-team.com>")' },
    { name: 'change', short: 'c', type: 'list', help: 'Apply Dockerfile instruction to the created image' },
    { name: 'message', short: 'm', type: 'string', help: 'Commit message' },
    { name: 'pause', short: 'p', type: 'bool', default: 'true', help: 'Pause container during commit' },
  ],
  args: { min: 1, max: 2 },
  async run(cli, flags, args) {
    const [id, reference] = args;
    const { imageId } = await cli.client.call('container.commit', {
      id,
      ...(reference !== undefined ? { reference } : {}),
      ...(flags.has('author') ? { author: flags.string('author') } : {}),
      ...(flags.has('message') ? { message: flags.string('message') } : {}),
      ...(flags.has('change') ? { changes: flags.list('change') } : {}),
      ...(flags.has('pause') ? { pause: flags.bool('pause') } : {}),
    });
    cli.out(`${imageId}\n`);
    return 0;
  },
};
