// `strata system boot`: starts the containers whose restart policy says so,
// as dockerd does when it starts. Meant for the machine's start (a systemd
// unit, see the README); prints each container started, and each that failed.

import type { CommandModule } from '../command';

export const systemBoot: CommandModule = {
  flags: [],
  args: { max: 0 },
  async run(cli) {
    const { started, failed } = await cli.client.call('system.boot', {});
    for (const name of started) cli.out(`${name}\n`);
    for (const f of failed) cli.err(`Error: ${f.name}: ${f.error}\n`);
    return failed.length > 0 ? 1 : 0;
  },
};
