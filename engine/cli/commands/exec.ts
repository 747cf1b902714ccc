// `strata exec`: one more process in a running container, attached; exits
// with its status. A command that cannot run, missing or not executable,
// exits 126, as with dockerd 20.10 (runc reports both alike); other
// failures, such as a stopped container, exit 1.

import { exitCodeFor } from '../../errors';
import { attachStdio, checkTty, detachKeyBytes, terminalSize } from '../attach';
import type { CommandModule } from '../command';
import { collectEnv, validateEnv } from '../envfile';
import { attachFlags } from './attach';

export const exec: CommandModule = {
  flags: [
    { name: 'detach', short: 'd', type: 'bool', help: 'Detached mode: run command in the background' },
    attachFlags.detachKeys,
    { name: 'env', short: 'e', type: 'list', help: 'Set environment variables', validate: (v) => validateEnv(v) },
    { name: 'env-file', type: 'list', help: 'Read in a file of environment variables' },
    { name: 'interactive', short: 'i', type: 'bool', help: 'Keep STDIN open even if not attached' },
    { name: 'privileged', type: 'bool', help: 'Give extended privileges to the command' },
    { name: 'tty', short: 't', type: 'bool', help: 'Allocate a pseudo-TTY' },
    { name: 'user', short: 'u', type: 'string', help: 'Username or UID (format: <name|uid>[:<group|gid>])' },
    { name: 'workdir', short: 'w', type: 'string', help: 'Working directory inside the container' },
  ],
  args: { min: 2 },
  interspersed: false,
  failureCode: (err) => {
    const code = exitCodeFor(err);
    return code === 126 || code === 127 ? 126 : 1;
  },
  async run(cli, flags, args) {
    const [id, ...cmd] = args;
    const detach = flags.bool('detach');
    const tty = flags.bool('tty');
    const stdin = flags.bool('interactive') && !detach;
    if (!detach) checkTty(cli, stdin, tty);
    const options = {
      id,
      cmd,
      ...(flags.has('env') || flags.has('env-file') ? { env: collectEnv(flags.list('env-file'), flags.list('env'), cli.env) } : {}),
      ...(flags.bool('privileged') ? { privileged: true } : {}),
      ...(flags.has('workdir') ? { workingDir: flags.string('workdir') } : {}),
      ...(flags.has('user') ? { user: flags.string('user') } : {}),
      ...(tty ? { tty: true, ...terminalSize(cli) } : {}),
      ...(stdin ? { stdin: true } : {}),
      ...(detach ? { detach: true } : {}),
    };
    const client = cli.client;
    // With -d the stream ends once the process started (or failed to).
    const keys = flags.string('detach-keys');
    const outcome = await attachStdio(cli, (callbacks) => client.open('container.exec', options, callbacks), {
      tty,
      stdin,
      ...(keys ? { detachKeys: detachKeyBytes(keys) } : {}),
    });
    if (detach || outcome.detached) return 0;
    return outcome.exit ?? 0;
  },
};
