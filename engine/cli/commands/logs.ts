// `strata logs`: the container's json-file log, stdout lines to stdout and
// stderr lines to stderr; -t prefixes each with its RFC3339Nano time; -f
// follows until the container stops (or Ctrl-C).

import { EngineError } from '../../errors';
import type { CommandModule } from '../command';

/** docker reads --tail loosely: a non-negative number, else everything. */
function tailLines(value: string | undefined): number | undefined {
  if (value === undefined || !/^\d+$/.test(value)) return undefined;
  return Number(value);
}

export const logs: CommandModule = {
  flags: [
    { name: 'follow', short: 'f', type: 'bool', help: 'Follow log output' },
    { name: 'tail', short: 'n', type: 'string', default: 'all', help: 'Number of lines to show from the end of the logs' },
    { name: 'timestamps', short: 't', type: 'bool', help: 'Show timestamps' },
  ],
  args: { min: 1, max: 1 },
  run(cli, flags, args) {
    const tail = tailLines(flags.string('tail'));
    const timestamps = flags.bool('timestamps');
    return new Promise((resolve, reject) => {
      cli.client.open(
        'container.logs',
        { id: args[0], ...(flags.bool('follow') ? { follow: true } : {}), ...(tail !== undefined ? { tail } : {}) },
        {
          onMessage(line) {
            const out = line.stream === 'stderr' ? cli.stderr : cli.stdout;
            if (timestamps) out.write(`${line.time} `);
            out.write(line.data);
          },
          onEnd(error) {
            if (error) reject(EngineError.fromPayload(error));
            else resolve(0);
          },
        },
      );
    });
  },
};
