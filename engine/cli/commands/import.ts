// `strata import FILE|- [REPOSITORY[:TAG]]`: a root filesystem tarball
// becomes a one-layer image; prints its id. `-` reads the tar from stdin.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { CommandModule } from '../command';
import type { Cli } from '../session';

/**
 * The engine reads a path. /dev/stdin serves a pipe, a file or a terminal,
 * but cannot be opened when stdin is a socket (ENXIO; Node's spawn with
 * `input` gives one), so a socket is first copied to a private temp file.
 */
async function withStdinPath<T>(cli: Cli, use: (file: string) => Promise<T>): Promise<T> {
  if (!fs.fstatSync(0).isSocket()) return use('/dev/stdin');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'strata-import-'));
  try {
    const file = path.join(dir, 'stdin.tar');
    await pipeline(cli.stdin, fs.createWriteStream(file, { mode: 0o600 }));
    return await use(file);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

export const importImage: CommandModule = {
  flags: [
    { name: 'change', short: 'c', type: 'list', help: 'Apply Dockerfile instruction to the created image' },
    { name: 'message', short: 'm', type: 'string', help: 'Set commit message for imported image' },
    { name: 'platform', type: 'string', help: 'Set platform if server is multi-platform capable' },
  ],
  args: { min: 1, max: 2 },
  async run(cli, flags, args) {
    const [file, reference] = args;
    const importFrom = (source: string) =>
      cli.client.call('image.import', {
        path: source,
        ...(reference !== undefined ? { reference } : {}),
        ...(flags.has('change') ? { changes: flags.list('change') } : {}),
        ...(flags.has('message') ? { message: flags.string('message') } : {}),
        ...(flags.string('platform') ? { platform: flags.string('platform') } : {}),
      });
    const { id } = file === '-' ? await withStdinPath(cli, importFrom) : await importFrom(path.resolve(file));
    cli.out(`${id}\n`);
    return 0;
  },
};
