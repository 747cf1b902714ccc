// The times `--since`, `--until` and the `until` filter take, read as
// Docker reads them (api/types/time GetTimestamp): a Go duration before now
// ("10m", "1h30m"), an RFC 3339 date or date-time with or without a zone
// (local time without one), or unix seconds with an optional fraction
// ("1700000000.5"). Unix nanoseconds.

import { parseGoDuration } from '../duration';
import { invalidArgument } from '../errors';

/** A Go duration in nanoseconds, or undefined when `text` is not one. */
function durationNanos(text: string): number | undefined {
  try {
    return parseGoDuration(text);
  } catch {
    return undefined;
  }
}

const dateTime = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2})(?::(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?)?(Z|z|[+-]\d{2}:\d{2})?$/;

/** A date or date-time in one of the RFC 3339 forms Docker takes, in unix nanoseconds; undefined when not one. */
function dateTimeNanos(value: string): number | undefined {
  const m = dateTime.exec(value);
  if (!m) return undefined;
  const [, y, mo, d, h = '0', mi = '0', s = '0', fraction = '', zone] = m;
  const fields = [Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s)] as const;
  let ms: number;
  if (zone === undefined) ms = new Date(...fields).getTime();
  else {
    ms = Date.UTC(...fields);
    if (zone !== 'Z' && zone !== 'z') ms -= (zone[0] === '-' ? -1 : 1) * (Number(zone.slice(1, 3)) * 60 + Number(zone.slice(4, 6))) * 60_000;
  }
  if (Number.isNaN(ms)) return undefined;
  return (ms / 1000) * 1e9 + Number(fraction.padEnd(9, '0'));
}

/** A --since/--until value in unix nanoseconds, relative to `nowMs` for durations. */
export function parseTimestamp(value: string, nowMs = Date.now()): number {
  const duration = value === '0' ? undefined : durationNanos(value);
  // As Docker: a duration before now, to the second.
  if (duration !== undefined) return Math.floor((nowMs * 1e6 - duration) / 1e9) * 1e9;
  const nanos = dateTimeNanos(value);
  if (nanos !== undefined) return nanos;
  if (value.includes('-')) throw invalidArgument(`parsing time ${JSON.stringify(value)}: cannot parse ${JSON.stringify(value)} as a date or time`);
  const unix = /^(-?\d+)(?:\.(\d+))?$/.exec(value);
  if (!unix) throw invalidArgument(`failed to parse value as time or duration: ${JSON.stringify(value)}`);
  return Number(unix[1]) * 1e9 + Math.trunc(Number(`0.${unix[2] ?? '0'}`) * 1e9);
}
