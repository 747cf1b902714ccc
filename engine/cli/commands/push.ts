// `strata push [OPTIONS] NAME[:TAG]`: docker's progress lines and, per tag,
// `TAG: digest: sha256:… size: N`.

import { EngineError } from '../../errors';
import type { CommandModule } from '../command';
import { defaultTagged } from '../pulling';
import { TransferPrinter } from '../transferOutput';

export const push: CommandModule = {
  flags: [
    { name: 'all-tags', short: 'a', type: 'bool', help: 'Push all tagged images in the repository' },
    { name: 'disable-content-trust', type: 'bool', help: 'Skip image signing (Strata does not sign images)' },
    { name: 'quiet', short: 'q', type: 'bool', help: 'Suppress verbose output' },
  ],
  args: { min: 1, max: 1 },
  async run(cli, flags, args) {
    const quiet = flags.bool('quiet');
    const all = flags.bool('all-tags');
    if (!all) defaultTagged(cli, args[0]!, quiet);
    const out = cli.stdout;
    const printer = new TransferPrinter((t) => out.write(t), out.isTTY === true, () => out.columns ?? 80);
    return new Promise((resolve, reject) => {
      let cancelled = false;
      const handle = cli.client.open('image.push', { reference: args[0]!, ...(all ? { allTags: true } : {}) }, {
        onMessage(m) {
          if (m.type === 'pushed') {
            if (quiet) cli.out(`${m.reference}\n`);
          } else if (!quiet) printer.print(m);
        },
        onEnd(error) {
          process.off('SIGINT', onInterrupt);
          if (cancelled) resolve(130);
          else if (error) reject(EngineError.fromPayload(error));
          else resolve(0);
        },
      });
      const onInterrupt = () => {
        cancelled = true;
        handle.close();
      };
      process.on('SIGINT', onInterrupt);
    });
  },
};
