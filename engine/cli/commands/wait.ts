// `strata wait`: blocks until each container stops, printing each exit code in order.

import type { CommandModule } from '../command';

export const wait: CommandModule = {
  flags: [],
  args: { min: 1 },
  async run(cli, _flags, refs) {
    const results = refs.map((id) => cli.client.call('container.wait', { id }).then((r) => r, (err: unknown) => ({ err })));
    let failed = false;
    for (const pending of results) {
      const result = await pending;
      if ('err' in result) {
        cli.error(result.err);
        failed = true;
      } else cli.out(`${result.statusCode}\n`);
    }
    return failed ? 1 : 0;
  },
};
