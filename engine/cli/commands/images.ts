// `strata images`: a row per tag, docker's table, -q ids, or any --format.

import type { CommandModule } from '../command';
import { imageRows, imagesDigestsTable, imagesTable, imagesTitles, matchesReference } from '../views/images';
import { listFormat, renderList } from '../views/list';

export const images: CommandModule = {
  flags: [
    { name: 'all', short: 'a', type: 'bool', help: 'Show all images (default hides intermediate images)' },
    { name: 'digests', type: 'bool', help: 'Show digests' },
    { name: 'format', type: 'string', help: "Format output using a custom template: 'table', 'json' or a Go-style template" },
    { name: 'no-trunc', type: 'bool', help: "Don't truncate output" },
    { name: 'quiet', short: 'q', type: 'bool', help: 'Only show image IDs' },
  ],
  args: { max: 1 },
  async run(cli, flags, args) {
    const summaries = await cli.client.call('image.list', { all: flags.bool('all') });
    let rows = imageRows(summaries, !flags.bool('no-trunc'), Date.now(), flags.bool('digests'));
    if (args[0] !== undefined) rows = rows.filter((row) => matchesReference(row, args[0]));
    cli.out(renderList(rows, listFormat(flags.string('format'), flags.bool('quiet'), flags.bool('digests') ? imagesDigestsTable : imagesTable, '{{.ID}}'), imagesTitles));
    return 0;
  },
};
