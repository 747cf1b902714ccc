// `strata save [-o FILE] IMAGE...`: the Docker 25+ archive to a file, or to
// standard output when it is not a terminal.

import { resolve } from 'node:path';
import { streamToStdout } from '../byteOutput';
import type { CommandModule } from '../command';

export const save: CommandModule = {
  flags: [{ name: 'output', short: 'o', type: 'string', help: 'Write to a file, instead of STDOUT' }],
  args: { min: 1 },
  async run(cli, flags, refs) {
    const output = flags.string('output');
    if (!output && cli.stdout.isTTY) throw new Error('cowardly refusing to save to a terminal. Use the -o flag or redirect');
    if (output) await cli.client.call('image.saveFile', { refs, path: resolve(output) });
    else await streamToStdout(cli, 'image.save', { refs });
    return 0;
  },
};
