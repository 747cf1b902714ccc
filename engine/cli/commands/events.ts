// `strata events`: the engine's events as they happen (after replaying
// those since --since), until Ctrl-C or --until; --filter as dockerd reads
// it (type=kernel shows what the kernel was asked to do). Docker's line
// format by default; --format json prints docker's event message, one JSON
// object a line.

import type { EngineEvent } from '../../api';
import { EngineError } from '../../errors';
import type { CommandModule } from '../command';
import { goJson } from '../gojson';
import { filterMap, timeFlag } from '../queryFlags';
import { parseTemplate } from '../template';
import { eventLine, eventMessage } from '../views/events';

function formatter(format: string | undefined): (event: EngineEvent) => string {
  if (format === undefined || format === '') return eventLine;
  if (format === 'json' || format === '{{json .}}') return (event) => goJson(eventMessage(event));
  const template = parseTemplate(format);
  return (event) => template.render(eventMessage(event));
}

export const events: CommandModule = {
  flags: [
    { name: 'filter', short: 'f', type: 'filter', help: 'Filter output based on conditions provided' },
    { name: 'format', type: 'string', help: 'Format the output using the given Go template' },
    { name: 'since', type: 'string', help: 'Show all events created since timestamp' },
    { name: 'until', type: 'string', help: 'Stream events until this timestamp' },
  ],
  args: { max: 0 },
  run(cli, flags) {
    const since = timeFlag(flags, 'since');
    const until = timeFlag(flags, 'until');
    const format = formatter(flags.string('format'));
    const arg = { filters: filterMap(flags), ...(since !== undefined ? { since } : {}), ...(until !== undefined ? { until } : {}) };
    return new Promise((resolve, reject) => {
      cli.client.open('events', arg, {
        onMessage: (event) => cli.out(format(event) + '\n'),
        onEnd: (error) => (error ? reject(EngineError.fromPayload(error)) : resolve(0)),
      });
    });
  },
};
