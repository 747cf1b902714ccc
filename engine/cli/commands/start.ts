// `strata start`: without -a, start each container and print it as given
// (failures on stderr, then docker's summary line); with -a or -i, start one
// container attached from its first byte and exit with its status.

import { attachStdio, checkTty, detachKeyBytes, terminalSize } from '../attach';
import type { CommandModule } from '../command';
import type { Cli } from '../session';
import { attachFlags } from './attach';

async function startAttached(cli: Cli, ref: string, interactive: boolean, keys: string | undefined): Promise<number> {
  const client = cli.client;
  const inspect = await client.call('container.inspect', { id: ref });
  const id = inspect.Id;
  const tty = inspect.Config.Tty;
  const stdin = interactive && inspect.Config.OpenStdin;
  checkTty(cli, stdin, tty);
  const outcome = await attachStdio(
    cli,
    (callbacks) => client.open('container.startAttached', { id, stdin, ...(tty ? terminalSize(cli) : {}) }, callbacks),
    {
      tty,
      stdin,
      ...(keys ? { detachKeys: detachKeyBytes(keys) } : {}),
      onSignal: (signal) => void client.call('container.kill', { id, signal }).catch(() => undefined),
    },
  );
  if (outcome.detached) return 0;
  return outcome.exit ?? (await client.call('container.wait', { id })).statusCode;
}

export const start: CommandModule = {
  flags: [
    { name: 'attach', short: 'a', type: 'bool', help: 'Attach STDOUT/STDERR and forward signals' },
    attachFlags.detachKeys,
    { name: 'interactive', short: 'i', type: 'bool', help: "Attach container's STDIN" },
  ],
  args: { min: 1 },
  async run(cli, flags, args) {
    const attach = flags.bool('attach');
    const interactive = flags.bool('interactive');
    if (attach || interactive) {
      if (args.length > 1) throw new Error('you cannot start and attach multiple containers at once');
      return startAttached(cli, args[0], interactive, flags.string('detach-keys'));
    }
    const failed: string[] = [];
    for (const ref of args) {
      try {
        await cli.client.call('container.start', { id: ref });
        cli.out(`${ref}\n`);
      } catch (err) {
        cli.error(err);
        failed.push(ref);
      }
    }
    if (failed.length === 0) return 0;
    cli.err(`Error: failed to start containers: ${failed.join(', ')}\n`);
    return 1;
  },
};
