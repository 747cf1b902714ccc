// `strata image prune [-a] [-f]`: asks first (unless -f), then prints what
// went and the space reclaimed, as docker does.

import { humanSize } from '../../humanize';
import type { CommandModule } from '../command';
import type { Cli } from '../session';
import { deleteLines } from './rmi';

const danglingWarning = 'WARNING! This will remove all dangling images.';
const allWarning = 'WARNING! This will remove all images without at least one container associated to them.';

/** docker's PromptForConfirmation: true only for an answer of y or Y. */
export async function confirm(cli: Cli, warning: string): Promise<boolean> {
  cli.out(`${warning}\nAre you sure you want to continue? [y/N] `);
  const answer = await new Promise<string>((resolve) => {
    let text = '';
    const done = () => {
      cli.stdin.off('data', onData);
      cli.stdin.off('end', done);
      cli.stdin.pause();
      resolve(text.split('\n')[0]!.trim());
    };
    const onData = (chunk: Buffer | string) => {
      text += chunk.toString();
      if (text.includes('\n')) done();
    };
    cli.stdin.on('data', onData);
    cli.stdin.on('end', done);
  });
  return answer === 'y' || answer === 'Y';
}

export const imagePrune: CommandModule = {
  flags: [
    { name: 'all', short: 'a', type: 'bool', help: 'Remove all unused images, not just dangling ones' },
    { name: 'force', short: 'f', type: 'bool', help: 'Do not prompt for confirmation' },
  ],
  args: { max: 0 },
  async run(cli, flags) {
    const all = flags.bool('all');
    if (!flags.bool('force') && !(await confirm(cli, all ? allWarning : danglingWarning))) return 0;
    const report = await cli.client.call('image.prune', { all });
    if (report.deleted.length > 0) cli.out(`Deleted Images:\n${deleteLines(report.deleted, { untagged: 'untagged: ', deleted: 'deleted: ' })}\n`);
    cli.out(`Total reclaimed space: ${humanSize(report.spaceReclaimed)}\n`);
    return 0;
  },
};
