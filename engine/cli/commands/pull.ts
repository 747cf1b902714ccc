// `strata pull [OPTIONS] NAME[:TAG|@DIGEST]`: docker's progress lines, then
// the image's fully qualified name; -q prints only that name.

import type { CommandModule } from '../command';
import { defaultTagged, qualified, runPull } from '../pulling';

export const pull: CommandModule = {
  flags: [
    { name: 'all-tags', short: 'a', type: 'bool', help: 'Download all tagged images in the repository' },
    { name: 'disable-content-trust', type: 'bool', help: 'Skip image verification (Strata does not sign images)' },
    { name: 'platform', type: 'string', help: 'Set platform if server is multi-platform capable' },
    { name: 'quiet', short: 'q', type: 'bool', help: 'Suppress verbose output' },
  ],
  args: { min: 1, max: 1 },
  async run(cli, flags, args) {
    const quiet = flags.bool('quiet');
    const all = flags.bool('all-tags');
    const ref = all ? (await import('../../oci/reference')).parseReference(args[0]!) : defaultTagged(cli, args[0]!, quiet);
    try {
      await runPull(cli, { reference: args[0]!, ...(all ? { allTags: true } : {}), ...(flags.has('platform') ? { platform: flags.string('platform') } : {}) }, 'stdout', quiet);
    } catch (err) {
      if ((err as { interrupted?: boolean }).interrupted) return 130;
      throw err;
    }
    cli.out(`${qualified(ref)}\n`);
    return 0;
  },
};
