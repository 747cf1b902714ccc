// Docker's JSON message stream (moby's jsonmessage), as pull, push, load,
// import and build answer: one JSON object per message, each ended by
// "\r\n", in a chunked answer whose headers wait for the first message, so
// that a failure before any progress is still a status code and a message.

import { goJson } from '../cli/gojson';
import { progressText } from '../cli/transferOutput';
import type { TransferLine } from '../api';
import type { ErrorPayload } from '../errors';
import type { Exchange, ResponseStream } from './exchange';

/** The daemon formats a bar as for a terminal 200 columns wide. */
const daemonWidth = 200;

export class JsonMessages {
  private out: ResponseStream | undefined;

  constructor(private readonly ex: Exchange) {}

  get started(): boolean {
    return this.out !== undefined;
  }

  send(message: Record<string, unknown>): void {
    this.out ??= this.ex.stream(200, 'application/json');
    this.out.write(goJson(message) + '\r\n');
  }

  /** Ends the stream: an error is the status and message while nothing was sent, else an error message in the stream. */
  end(err?: ErrorPayload | Error): void {
    if (err && !this.out) return this.ex.fail(err);
    if (err) this.send({ errorDetail: { message: err.message }, error: err.message });
    (this.out ?? this.ex.stream(200, 'application/json')).end();
  }
}

/** A pull's or push's line as the daemon sends it. */
export function transferMessage(m: TransferLine): Record<string, unknown> {
  if (m.type === 'status') return m.id ? { status: m.text, id: m.id } : { status: m.text };
  const counted = m.current !== undefined || m.total !== undefined;
  return {
    status: m.status,
    progressDetail: counted ? { current: m.current ?? 0, ...(m.total ? { total: m.total } : {}) } : {},
    ...(counted ? { progress: progressText(m.current, m.total, daemonWidth) } : {}),
    id: m.id,
  };
}
