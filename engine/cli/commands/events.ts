// `strata events`: the engine's events as they happen (after replaying
// those since --since), until Ctrl-C or --until. Docker's line format by
// default; --format json prints docker's event message, one JSON object a
// line; --filter keeps some (type=kernel shows what the kernel was asked to do).

import type { EngineEvent } from '../../api';
import { EngineError } from '../../errors';
import type { CommandModule } from '../command';
import { goJson } from '../gojson';
import { parseSince } from '../gotime';
import { OptionError } from '../session';
import { parseTemplate } from '../template';
import { eventFilter, eventLine, eventMessage } from '../views/events';

function formatter(format: string | undefined): (event: EngineEvent) => string {
  if (format === undefined || format === '') return eventLine;
  if (format === 'json' || format === '{{json .}}') return (event) => goJson(eventMessage(event));
  const template = parseTemplate(format);
  return (event) => template.render(eventMessage(event));
}

export const events: CommandModule = {
  flags: [
    { name: 'format', type: 'string', help: "Format output using a custom template: 'json' or a Go-style template" },
    { name: 'since', type: 'string', help: 'Show all events created since timestamp' },
    { name: 'until', type: 'string', help: 'Stream events until this timestamp' },
    { name: 'filter', short: 'f', type: 'list', help: 'Filter output based on conditions provided (type=, event=, container=)' },
  ],
  args: { max: 0 },
  run(cli, flags) {
    const now = Date.now();
    const time = (name: string): number | undefined => {
      const value = flags.string(name);
      try {
        return value === undefined ? undefined : parseSince(value, now);
      } catch (err) {
        throw new OptionError((err as Error).message);
      }
    };
    const sinceNanos = time('since');
    const untilNanos = time('until');
    let keep: (event: EngineEvent) => boolean;
    try {
      keep = eventFilter(flags.list('filter'));
    } catch (err) {
      throw new EngineError('InvalidArgument', (err as Error).message);
    }
    const format = formatter(flags.string('format'));
    return new Promise((resolve, reject) => {
      cli.client.open('events', { ...(sinceNanos !== undefined ? { since: sinceNanos } : {}), ...(untilNanos !== undefined ? { until: untilNanos } : {}) }, {
        onMessage: (event) => keep(event) && cli.out(format(event) + '\n'),
        onEnd: (error) => (error ? reject(EngineError.fromPayload(error)) : resolve(0)),
      });
    });
  },
};
