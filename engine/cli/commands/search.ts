// `strata search [OPTIONS] TERM`: Docker Hub's search (or the registry the
// term names), docker's table, --filter stars=N|is-official=B|is-automated=B,
// --limit, --no-trunc, --format.

import type { SearchResult } from '../../api';
import type { CommandModule } from '../command';
import { OptionError } from '../session';
import { ellipsis, listFormat, renderList } from '../views/list';

const table = 'table {{.Name}}\t{{.Description}}\t{{.StarCount}}\t{{.IsOfficial}}\t{{.IsAutomated}}';
const titles = { Name: 'NAME', Description: 'DESCRIPTION', StarCount: 'STARS', IsOfficial: 'OFFICIAL', IsAutomated: 'AUTOMATED' };

function filters(values: readonly string[]): { stars?: number; official?: boolean; automated?: boolean } {
  const out: { stars?: number; official?: boolean; automated?: boolean } = {};
  for (const value of values) {
    const eq = value.indexOf('=');
    const key = value.slice(0, eq);
    const v = value.slice(eq + 1);
    if (eq < 0) throw new OptionError(`bad format of filter (expected name=value)`);
    const bool = () => {
      if (v !== 'true' && v !== 'false') throw new OptionError(`Invalid filter '${key}=${v}'`);
      return v === 'true';
    };
    if (key === 'stars') {
      if (!/^[0-9]+$/.test(v)) throw new OptionError(`Invalid filter 'stars=${v}'`);
      out.stars = Number(v);
    } else if (key === 'is-official') out.official = bool();
    else if (key === 'is-automated') out.automated = bool();
    else throw new OptionError(`Invalid filter '${key}'`);
  }
  return out;
}

export function searchRows(results: readonly SearchResult[], trunc: boolean) {
  return results.map((r) => {
    const description = r.description.replace(/[\r\n]/g, ' ');
    return {
      Description: trunc ? ellipsis(description, 45) : description,
      IsAutomated: r.isAutomated ? '[OK]' : '',
      IsOfficial: r.isOfficial ? '[OK]' : '',
      Name: r.name,
      StarCount: String(r.starCount),
    };
  });
}

export const search: CommandModule = {
  flags: [
    { name: 'filter', short: 'f', type: 'filter', help: 'Filter output based on conditions provided' },
    { name: 'format', type: 'string', help: 'Pretty-print search using a Go template' },
    { name: 'limit', type: 'int', help: 'Max number of search results', default: '25' },
    { name: 'no-trunc', type: 'bool', help: "Don't truncate output" },
  ],
  args: { min: 1, max: 1 },
  async run(cli, flags, args) {
    const results = await cli.client.call('registry.search', { term: args[0]!, limit: flags.int('limit') ?? 25, ...filters(flags.list('filter')) });
    cli.out(renderList(searchRows(results, !flags.bool('no-trunc')), listFormat(flags.string('format'), false, table, ''), titles));
    return 0;
  },
};
