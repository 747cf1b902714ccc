// `strata rmi [OPTIONS] IMAGE [IMAGE...]`: Docker's Untagged:/Deleted: lines
// for each image in turn; the failures follow on stderr (exit 1 if any).

import type { ImageDeleteItem } from '../../api';
import type { CommandModule } from '../command';

export function deleteLines(items: readonly ImageDeleteItem[], prefix: { untagged: string; deleted: string }): string {
  return items.map((i) => ('untagged' in i ? `${prefix.untagged}${i.untagged}\n` : `${prefix.deleted}${i.deleted}\n`)).join('');
}

export const rmi: CommandModule = {
  flags: [
    { name: 'force', short: 'f', type: 'bool', help: 'Force removal of the image' },
    { name: 'no-prune', type: 'bool', help: 'Do not delete untagged parents' },
  ],
  args: { min: 1 },
  async run(cli, flags, refs) {
    const errors: unknown[] = [];
    for (const ref of refs) {
      try {
        const items = await cli.client.call('image.remove', { ref, force: flags.bool('force'), noPrune: flags.bool('no-prune') });
        cli.out(deleteLines(items, { untagged: 'Untagged: ', deleted: 'Deleted: ' }));
      } catch (err) {
        errors.push(err);
      }
    }
    for (const err of errors) cli.error(err);
    return errors.length > 0 ? 1 : 0;
  },
};
