// `strata images [REPOSITORY[:TAG]]`: a row per tag, docker's table, -q ids,
// or any --format; --filter as dockerd reads it (the argument is one more
// `reference` filter, as the docker CLI sends it).

import type { CommandModule } from '../command';
import { filterMap } from '../queryFlags';
import { imageRows, imagesDigestsTable, imagesTable, imagesTitles } from '../views/images';
import { listFormat, renderList } from '../views/list';

export const images: CommandModule = {
  flags: [
    { name: 'all', short: 'a', type: 'bool', help: 'Show all images (default hides intermediate images)' },
    { name: 'digests', type: 'bool', help: 'Show digests' },
    { name: 'filter', short: 'f', type: 'filter', help: 'Filter output based on conditions provided' },
    { name: 'format', type: 'string', help: 'Pretty-print images using a Go template' },
    { name: 'no-trunc', type: 'bool', help: "Don't truncate output" },
    { name: 'quiet', short: 'q', type: 'bool', help: 'Only show image IDs' },
  ],
  args: { max: 1 },
  async run(cli, flags, args) {
    const filters = filterMap(flags);
    if (args[0] !== undefined) (filters.reference ??= []).push(args[0]);
    const summaries = await cli.client.call('image.list', { all: flags.bool('all'), filters });
    const rows = imageRows(summaries, !flags.bool('no-trunc'), Date.now(), flags.bool('digests'));
    cli.out(renderList(rows, listFormat(flags.string('format'), flags.bool('quiet'), flags.bool('digests') ? imagesDigestsTable : imagesTable, '{{.ID}}'), imagesTitles));
    return 0;
  },
};
