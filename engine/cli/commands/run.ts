// `strata run`: create, then either start in the background and print the
// id (-d), or start attached from the first byte and exit with the
// container's status. Errors exit as docker's run does: 125 for the engine,
// 126 when the command cannot be executed, 127 when it is not found.

import { exitCodeFor } from '../../errors';
import { attachStdio, checkTty, detachKeyBytes, terminalSize } from '../attach';
import type { CommandModule } from '../command';
import type { FlagSpec } from '../flags';
import { OptionError, type Cli } from '../session';
import { attachFlags } from './attach';
import { containerFlags, createContainer, createOptions } from './create';

const flags: readonly FlagSpec[] = [
  ...containerFlags,
  { name: 'detach', short: 'd', type: 'bool', help: 'Run container in background and print container ID' },
  attachFlags.detachKeys,
  { ...attachFlags.sigProxy, help: 'Proxy received signals to the process' },
];

/** --rm after the container ended; the engine may have removed it already (autoRemove). */
async function removeAfterExit(cli: Cli, id: string): Promise<void> {
  try {
    await cli.client.call('container.remove', { id, force: true });
  } catch (err) {
    if ((err as { code?: string }).code !== 'NotFound') throw err;
  }
}

export const run: CommandModule = {
  flags,
  args: { min: 1 },
  interspersed: false,
  failureCode: exitCodeFor,
  async run(cli, flags, args) {
    const detach = flags.bool('detach');
    const tty = flags.bool('tty');
    const streams = flags.list('attach');
    if (detach && streams.length > 0) throw new OptionError('Conflicting options: -a and -d');
    const interactive = flags.bool('interactive');
    // -a picks the streams; without it, stdout and stderr (and stdin with -i).
    const shown = streams.length > 0 ? streams : ['stdout', 'stderr'];
    const keys = flags.string('detach-keys');
    const detachKeys = keys ? detachKeyBytes(keys) : undefined;
    const sigProxy = !tty && (!flags.has('sig-proxy') || flags.bool('sig-proxy'));
    if (!detach) {
      try {
        checkTty(cli, interactive, tty);
      } catch (err) {
        cli.error(err);
        return 1;
      }
    }
    const options = createOptions(cli, flags, args);
    const id = await createContainer(cli, options, flags);
    const client = cli.client;

    if (detach) {
      cli.out(`${id}\n`);
      await client.call('container.start', { id });
      return 0;
    }

    let outcome;
    try {
      outcome = await attachStdio(
        cli,
        (callbacks) =>
          client.open('container.startAttached', { id, stdin: interactive, ...(tty ? terminalSize(cli) : {}) }, {
            ...callbacks,
            onMessage: (m) => ('exit' in m || shown.includes(m.stream) ? callbacks.onMessage(m) : undefined),
          }),
        {
          tty,
          stdin: interactive,
          ...(detachKeys ? { detachKeys } : {}),
          ...(sigProxy ? { onSignal: (signal: NodeJS.Signals) => void client.call('container.kill', { id, signal }).catch(() => undefined) } : {}),
        },
      );
    } catch (err) {
      // The command could not start: --rm still leaves nothing behind.
      if (options.autoRemove) await removeAfterExit(cli, id).catch(() => undefined);
      throw err;
    }
    if (outcome.detached) return 0;
    const status = outcome.exit ?? (await client.call('container.wait', { id })).statusCode;
    if (options.autoRemove) await removeAfterExit(cli, id);
    return status;
  },
};
