// `strata export [-o FILE] CONTAINER`: the container's file system as one
// flat tar, to a file or to standard output when it is not a terminal.

import { resolve } from 'node:path';
import { streamToStdout } from '../byteOutput';
import type { CommandModule } from '../command';

export const exportContainer: CommandModule = {
  flags: [{ name: 'output', short: 'o', type: 'string', help: 'Write to a file, instead of STDOUT' }],
  args: { min: 1, max: 1 },
  async run(cli, flags, [id]) {
    const output = flags.string('output');
    if (!output && cli.stdout.isTTY) throw new Error('cowardly refusing to save to a terminal. Use the -o flag or redirect');
    if (output) await cli.client.call('container.exportFile', { id, path: resolve(output) });
    else await streamToStdout(cli, 'container.export', { id });
    return 0;
  },
};
