// `strata load [-i FILE]`: images from an archive (docker save, skopeo, an
// OCI layout tar; compressed or not), from a file or standard input; prints
// docker's "Loaded image" lines.

import { resolve } from 'node:path';
import type { LoadedImage } from '../../api';
import type { CommandModule } from '../command';

export function loadedLines(loaded: readonly LoadedImage[]): string {
  let out = '';
  for (const image of loaded) {
    for (const tag of image.repoTags) {
      const replaced = image.replaced.find((r) => r.tag === tag);
      if (replaced) out += `The image ${tag} already exists, renaming the old one with ID ${replaced.previousId} to empty string\n`;
      out += `Loaded image: ${tag}\n`;
    }
    if (image.repoTags.length === 0) out += `Loaded image ID: ${image.id}\n`;
  }
  return out;
}

export const load: CommandModule = {
  flags: [
    { name: 'input', short: 'i', type: 'string', help: 'Read from tar archive file, instead of STDIN' },
    { name: 'quiet', short: 'q', type: 'bool', help: 'Suppress the load output' },
  ],
  args: { max: 0 },
  async run(cli, flags) {
    const input = flags.string('input');
    if (!input && cli.stdin.isTTY) throw new Error('requested load from stdin, but stdin is empty');
    const loaded = await cli.client.call('image.load', { path: input ? resolve(input) : '/dev/stdin' });
    cli.out(loadedLines(loaded));
    return 0;
  },
};
