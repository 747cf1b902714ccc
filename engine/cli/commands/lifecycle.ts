// stop, kill, pause, unpause, rm and restart: the same request for each
// container named, run together; each name is printed as given once its
// request succeeded, in the order given, and the failures follow on stderr
// (exit 1 if any), as the docker CLI does.

import type { CommandModule } from '../command';
import type { FlagSpec, Flags } from '../flags';
import type { Cli } from '../session';

type Request = (cli: Cli, flags: Flags, ref: string) => Promise<void>;

function forEachContainer(flags: readonly FlagSpec[], request: Request, ignore?: (err: unknown, flags: Flags) => boolean): CommandModule {
  return {
    flags,
    args: { min: 1 },
    async run(cli, parsed, refs) {
      const results = refs.map((ref) => request(cli, parsed, ref).then(() => undefined, (err: unknown) => err));
      const errors: unknown[] = [];
      for (let k = 0; k < refs.length; k++) {
        const err = await results[k];
        if (err === undefined) cli.out(`${refs[k]}\n`);
        else if (!ignore?.(err, parsed)) errors.push(err);
      }
      for (const err of errors) cli.error(err);
      return errors.length > 0 ? 1 : 0;
    },
  };
}

const signalFlag: FlagSpec = { name: 'signal', short: 's', type: 'string', help: 'Signal to send to the container' };
// Docker 20.10's -t, --time (docker 23 renamed it --timeout: both are taken).
const timeFlag: FlagSpec = {
  name: 'time',
  short: 't',
  type: 'int',
  default: '10',
  aliases: ['timeout'],
  help: 'Seconds to wait for stop before killing it',
};

const stopArgs = (flags: Flags, id: string) => ({
  id,
  ...(flags.has('time') ? { timeout: flags.int('time') } : {}),
  ...(flags.has('signal') ? { signal: flags.string('signal') } : {}),
});

export const stop = forEachContainer([signalFlag, timeFlag], (cli, flags, id) => cli.client.call('container.stop', stopArgs(flags, id)));

export const restart = forEachContainer([signalFlag, timeFlag], (cli, flags, id) =>
  cli.client.call('container.restart', stopArgs(flags, id)),
);

export const kill = forEachContainer([signalFlag], (cli, flags, id) =>
  cli.client.call('container.kill', { id, ...(flags.has('signal') ? { signal: flags.string('signal') } : {}) }),
);

export const pause = forEachContainer([], (cli, _flags, id) => cli.client.call('container.pause', { id }));

export const unpause = forEachContainer([], (cli, _flags, id) => cli.client.call('container.unpause', { id }));

export const rm = forEachContainer(
  [
    { name: 'force', short: 'f', type: 'bool', help: 'Force the removal of a running container (uses SIGKILL)' },
    { name: 'link', short: 'l', type: 'bool', help: 'Remove the specified link' },
    { name: 'volumes', short: 'v', type: 'bool', help: 'Remove anonymous volumes associated with the container' },
  ],
  (cli, flags, id) =>
    cli.client.call('container.remove', { id, force: flags.bool('force'), volumes: flags.bool('volumes'), ...(flags.bool('link') ? { link: true } : {}) }),
  // `rm -f` of a container that is not there is not an error (docker 23 and later).
  (err, flags) => flags.bool('force') && (err as { code?: string }).code === 'NotFound',
);
