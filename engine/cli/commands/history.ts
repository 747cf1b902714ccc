// `strata history [OPTIONS] IMAGE`: docker's table (IMAGE, CREATED, CREATED
// BY, SIZE, COMMENT), -q ids, --format json or any template.

import type { CommandModule } from '../command';
import { historyRows, historyTable, historyTitles } from '../views/history';
import { listFormat, renderList } from '../views/list';

export const history: CommandModule = {
  flags: [
    { name: 'format', type: 'string', help: "Format output using a custom template: 'table', 'json' or a Go-style template" },
    { name: 'human', short: 'H', type: 'bool', default: 'true', help: 'Print sizes and dates in human readable format' },
    { name: 'no-trunc', type: 'bool', help: "Don't truncate output" },
    { name: 'quiet', short: 'q', type: 'bool', help: 'Only show image IDs' },
  ],
  args: { min: 1, max: 1 },
  async run(cli, flags, [ref]) {
    const items = await cli.client.call('image.history', { ref });
    const human = !flags.has('human') || flags.bool('human');
    const rows = historyRows(items, { trunc: !flags.bool('no-trunc'), human, nowMs: Date.now() });
    cli.out(renderList(rows, listFormat(flags.string('format'), flags.bool('quiet'), historyTable, '{{.ID}}'), historyTitles(human)));
    return 0;
  },
};
