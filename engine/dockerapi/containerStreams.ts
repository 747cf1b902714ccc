// A container's output on the wire: attach (the hijacked connection, or a
// websocket at attach/ws) and logs. Both are framed (framing.ts) unless the
// container has a tty; logs are read from the engine's json-file log, with
// since, until, timestamps and the streams asked for applied here.

import type { LogLine } from '../api';
import { conflict } from '../errors';
import type { ApiContext } from './context';
import { defaultDetachKeys, parseDetachKeys } from './detachKeys';
import { badRequest } from './errors';
import type { Exchange, Hijacked, ResponseStream } from './exchange';
import { outputBytes, rawStream } from './framing';
import { boolParam } from './query';
import type { Route } from './router';
import { pace } from './pacing';
import { parseApiTime } from './times';

interface LogFilter {
  stdout: boolean;
  stderr: boolean;
  tty: boolean;
  timestamps: boolean;
  since?: number;
  until?: number;
}

const nanosOf = (time: string) => {
  const m = /^(.*?)(?:\.(\d+))?Z$/.exec(time);
  return m ? Date.parse(`${m[1]}Z`) * 1e6 + Number((m[2] ?? '').slice(0, 9).padEnd(9, '0')) : Date.parse(time) * 1e6;
};

/** The RFC 3339 time with 9 fraction digits, in UTC, as moby prefixes log lines. */
function fixedTime(time: string): string {
  const m = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d+))?Z$/.exec(time);
  return m ? `${m[1]}.${(m[2] ?? '').slice(0, 9).padEnd(9, '0')}Z` : time;
}

/** The bytes of one log line as the filter allows: undefined to skip it, 'past' once `until` has passed (stop reading). */
function logLineBytes(f: LogFilter, line: LogLine): Uint8Array | 'past' | undefined {
  const at = nanosOf(line.time);
  if (f.until !== undefined && at > f.until) return 'past';
  if (f.since !== undefined && at < f.since) return undefined;
  if ((line.stream === 'stdout' && !f.stdout) || (line.stream === 'stderr' && !f.stderr)) return undefined;
  const data = f.timestamps ? Buffer.concat([Buffer.from(`${fixedTime(line.time)} `), line.data]) : line.data;
  return outputBytes(f.tty, line.stream, data);
}

function streamLogs(ctx: ApiContext, id: string, f: LogFilter, out: ResponseStream, opts: { follow: boolean; tail?: number }, onClose?: (fn: () => void) => void): Promise<void> {
  return new Promise((resolve) => {
    let stopped = false;
    const handle = ctx.client.open('container.logs', { id, ...(opts.follow ? { follow: true } : {}), ...(opts.tail !== undefined ? { tail: opts.tail } : {}) }, {
      onMessage: (line) => {
        if (stopped) return;
        const bytes = logLineBytes(f, line);
        if (bytes === 'past') finish();
        else if (bytes) pace(out, out.write(bytes), handle);
      },
      onEnd: () => finish(),
    });
    const untilTimer = f.until !== undefined && opts.follow ? setTimeout(() => finish(), Math.max(0, f.until / 1e6 - Date.now())) : undefined;
    function finish() {
      if (stopped) return;
      stopped = true;
      clearTimeout(untilTimer);
      handle.close();
      resolve();
    }
    onClose?.(finish);
  });
}

async function logs(ex: Exchange, ctx: ApiContext): Promise<void> {
  const q = ex.query;
  const stdout = boolParam(q, 'stdout');
  const stderr = boolParam(q, 'stderr');
  if (!stdout && !stderr) throw badRequest('Bad parameters: you must choose at least one stream');
  const c = await ctx.client.call('container.inspect', { id: ex.params.id });
  const tailText = q.get('tail') ?? 'all';
  const tail = /^\d+$/.test(tailText) ? Number(tailText) : undefined;
  const now = Date.now();
  const since = q.get('since');
  const until = q.get('until');
  const filter: LogFilter = {
    stdout,
    stderr,
    tty: c.Config.Tty,
    timestamps: boolParam(q, 'timestamps'),
    ...(since && since !== '0' ? { since: parseApiTime(since, now) } : {}),
    ...(until && until !== '0' ? { until: parseApiTime(until, now) } : {}),
  };
  const out = ex.stream(200);
  await streamLogs(ctx, c.Id, filter, out, { follow: boolParam(q, 'follow'), ...(tail !== undefined ? { tail } : {}) }, (fn) => ex.onClose(fn));
  out.end();
}

/** What attach and attach/ws share: the checks, the log replay, then the live attachment. */
async function attachTo(ctx: ApiContext, ex: Exchange, hijack: () => Hijacked, framed: boolean): Promise<void> {
  const q = ex.query;
  const c = await ctx.client.call('container.inspect', { id: ex.params.id });
  if (c.State.Paused) throw conflict(`container ${ex.params.id} is paused, unpause the container before attach.`);
  const detachKeys = parseDetachKeys(q.get('detachKeys') || defaultDetachKeys);
  const tty = c.Config.Tty || !framed;
  const wants = { stdin: boolParam(q, 'stdin'), stdout: boolParam(q, 'stdout'), stderr: boolParam(q, 'stderr') };
  const out = hijack();
  if (boolParam(q, 'logs')) {
    await streamLogs(ctx, c.Id, { stdout: wants.stdout, stderr: wants.stderr, tty, timestamps: false }, out, { follow: false });
  }
  if (!boolParam(q, 'stream')) return out.end();
  ctx.attach.attach({ id: c.Id, tty, closesStdin: !c.Config.Tty, ...wants, detachKeys, out, onClose: (fn) => ex.onClose(fn) }, c.State.Running);
}

export const containerStreamRoutes: Route[] = [
  { method: 'GET', pattern: '/containers/{id}/logs', handler: logs },
  { method: 'POST', pattern: '/containers/{id}/attach', handler: (ex, ctx) => attachTo(ctx, ex, () => ex.hijack(rawStream), true) },
  { method: 'GET', pattern: '/containers/{id}/attach/ws', handler: (ex, ctx) => attachTo(ctx, ex, () => ex.websocket(), false) },
];
