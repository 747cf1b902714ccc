// `strata attach`: our terminal joins a running container's stdio, as
// docker attach does: its output from now on, our stdin into it when it was
// made with -i (unless --no-stdin), signals forwarded (--sig-proxy, not with
// a tty), the detach keys leave it running. Exits with the container's
// status when it ends, 0 on a detach.

import { attachStdio, checkTty, detachKeyBytes } from '../attach';
import type { CommandModule } from '../command';

export const attachFlags = {
  detachKeys: { name: 'detach-keys', type: 'string', help: 'Override the key sequence for detaching a container' },
  sigProxy: { name: 'sig-proxy', type: 'bool', default: 'true', help: 'Proxy all received signals to the process' },
} as const;

export const attach: CommandModule = {
  flags: [attachFlags.detachKeys, { name: 'no-stdin', type: 'bool', help: 'Do not attach STDIN' }, attachFlags.sigProxy],
  args: { min: 1, max: 1 },
  async run(cli, flags, [ref]) {
    const client = cli.client;
    const info = await client.call('container.inspect', { id: ref });
    const stdin = !flags.bool('no-stdin') && info.Config.OpenStdin;
    const tty = info.Config.Tty;
    checkTty(cli, !flags.bool('no-stdin'), tty);
    const keys = flags.string('detach-keys');
    const sigProxy = !flags.has('sig-proxy') || flags.bool('sig-proxy');
    const outcome = await attachStdio(cli, (callbacks) => client.open('container.attach', { id: info.Id, stdin }, callbacks), {
      tty,
      stdin,
      ...(keys ? { detachKeys: detachKeyBytes(keys) } : {}),
      ...(sigProxy ? { onSignal: (signal: NodeJS.Signals) => void client.call('container.kill', { id: info.Id, signal }).catch(() => undefined) } : {}),
    });
    if (outcome.detached) return 0;
    return outcome.exit ?? (await client.call('container.wait', { id: info.Id })).statusCode;
  },
};
