// `strata manifest inspect NAME[:TAG|@DIGEST]`: the manifest or index as the
// registry serves it, indented with tabs as the docker CLI prints it.

import type { CommandModule } from '../command';
import { commandGroup } from '../group';

const inspect: CommandModule = {
  flags: [
    { name: 'insecure', type: 'bool', help: 'Allow communication with an insecure registry (loopback and configured registries always may)' },
    { name: 'verbose', short: 'v', type: 'bool', help: 'Output additional info including layers and platform' },
  ],
  args: { min: 1, max: 2 },
  async run(cli, flags, args) {
    const reference = args[args.length - 1]!;
    const m = await cli.client.call('registry.manifest', { reference });
    const doc = JSON.parse(m.raw) as unknown;
    if (flags.bool('verbose')) {
      cli.out(`${JSON.stringify({ Ref: reference, Descriptor: { mediaType: m.mediaType, digest: m.digest, size: Buffer.byteLength(m.raw) }, Raw: Buffer.from(m.raw).toString('base64'), Manifest: doc }, null, '\t')}\n`);
    } else cli.out(`${JSON.stringify(doc, null, '\t')}\n`);
    return 0;
  },
};

export const manifest = commandGroup('manifest', 'Manage Docker image manifests and manifest lists', [
  { name: 'inspect', usage: '[OPTIONS] [MANIFEST_LIST] MANIFEST', summary: 'Display an image manifest, or manifest list', load: async () => inspect },
]);
