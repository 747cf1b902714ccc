// `strata events`: the engine's events as they happen (after replaying
// those since --since), until Ctrl-C. Docker's line format by default;
// --format json prints docker's event message, one JSON object a line.

import type { EngineEvent } from '../../api';
import { EngineError } from '../../errors';
import type { CommandModule } from '../command';
import { goJson } from '../gojson';
import { parseSince } from '../gotime';
import { OptionError } from '../session';
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
    { name: 'format', type: 'string', help: "Format output using a custom template: 'json' or a Go-style template" },
    { name: 'since', type: 'string', help: 'Show all events created since timestamp' },
  ],
  args: { max: 0 },
  run(cli, flags) {
    const since = flags.string('since');
    let sinceNanos: number | undefined;
    if (since !== undefined) {
      try {
        sinceNanos = parseSince(since, Date.now());
      } catch (err) {
        throw new OptionError((err as Error).message);
      }
    }
    const format = formatter(flags.string('format'));
    return new Promise((resolve, reject) => {
      cli.client.open('events', sinceNanos !== undefined ? { since: sinceNanos } : {}, {
        onMessage: (event) => cli.out(format(event) + '\n'),
        onEnd: (error) => (error ? reject(EngineError.fromPayload(error)) : resolve(0)),
      });
    });
  },
};
