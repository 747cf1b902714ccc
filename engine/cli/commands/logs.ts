// `strata logs`: the container's json-file log, stdout lines to stdout and
// stderr lines to stderr; -t prefixes each with its RFC3339Nano time; -f
// follows until the container stops (or Ctrl-C).

import { EngineError } from '../../errors';
import type { CommandModule } from '../command';
import { timeFlag } from '../queryFlags';

/** docker reads --tail loosely: a non-negative number, else everything. */
function tailLines(value: string | undefined): number | undefined {
  if (value === undefined || !/^\d+$/.test(value)) return undefined;
  return Number(value);
}

/** --details: the entry's attributes (log-opt labels, env), "k=v,k=v", then a space, as dockerd prefixes them. */
function details(attrs: Record<string, string> | undefined): string {
  return `${Object.keys(attrs ?? {})
    .sort()
    .map((k) => `${k}=${attrs![k]}`)
    .join(',')} `;
}

export const logs: CommandModule = {
  flags: [
    { name: 'details', type: 'bool', help: 'Show extra details provided to logs' },
    { name: 'follow', short: 'f', type: 'bool', help: 'Follow log output' },
    { name: 'since', type: 'string', help: 'Show logs since timestamp (e.g. 2013-01-02T13:23:37Z) or relative (e.g. 42m for 42 minutes)' },
    { name: 'tail', short: 'n', type: 'string', default: 'all', help: 'Number of lines to show from the end of the logs' },
    { name: 'timestamps', short: 't', type: 'bool', help: 'Show timestamps' },
    { name: 'until', type: 'string', help: 'Show logs before a timestamp (e.g. 2013-01-02T13:23:37Z) or relative (e.g. 42m for 42 minutes)' },
  ],
  args: { min: 1, max: 1 },
  run(cli, flags, args) {
    const tail = tailLines(flags.string('tail'));
    const timestamps = flags.bool('timestamps');
    const since = timeFlag(flags, 'since');
    const until = timeFlag(flags, 'until');
    const arg = {
      id: args[0],
      ...(flags.bool('follow') ? { follow: true } : {}),
      ...(tail !== undefined ? { tail } : {}),
      ...(since !== undefined ? { since } : {}),
      ...(until !== undefined ? { until } : {}),
    };
    return new Promise((resolve, reject) => {
      cli.client.open(
        'container.logs',
        arg,
        {
          onMessage(line) {
            const out = line.stream === 'stderr' ? cli.stderr : cli.stdout;
            if (timestamps) out.write(`${line.time} `);
            if (flags.bool('details')) out.write(details(line.attrs));
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
