// The time formats docker's output uses, in the local time zone as Go does:
// Time.String() for CreatedAt ("2026-11-28 03:46:46 +0000 UTC"), the fixed
// RFC3339Nano of `docker events` lines, and the --since values it accepts.

const two = (n: number) => String(n).padStart(2, '0');

function offsetText(offsetMinutes: number, colon: boolean): string {
  const sign = offsetMinutes <= 0 ? '+' : '-'; // getTimezoneOffset is UTC minus local
  const abs = Math.abs(offsetMinutes);
  return `${sign}${two(Math.floor(abs / 60))}${colon ? ':' : ''}${two(abs % 60)}`;
}

function zoneName(date: Date): string {
  if (date.getTimezoneOffset() === 0) return 'UTC';
  const part = new Intl.DateTimeFormat('en-US', { timeZoneName: 'short' }).formatToParts(date).find((p) => p.type === 'timeZoneName');
  return part?.value ?? offsetText(date.getTimezoneOffset(), false);
}

function localDateTime(date: Date, sep: string): string {
  return (
    `${date.getFullYear()}-${two(date.getMonth() + 1)}-${two(date.getDate())}` +
    `${sep}${two(date.getHours())}:${two(date.getMinutes())}:${two(date.getSeconds())}`
  );
}

/** Go's `time.Unix(seconds, 0).String()`: "2026-11-28 03:46:46 +0000 UTC". */
export function goTimeString(unixSeconds: number): string {
  const date = new Date(unixSeconds * 1000);
  return `${localDateTime(date, ' ')} ${offsetText(date.getTimezoneOffset(), false)} ${zoneName(date)}`;
}

/** jsonmessage.RFC3339NanoFixed of a time in unix nanoseconds: "2026-11-28T03:46:46.123456789Z". */
export function rfc3339NanoFixed(unixNanos: number): string {
  const nanos = BigInt(Math.round(unixNanos));
  const seconds = nanos / 1_000_000_000n;
  const fraction = (nanos % 1_000_000_000n).toString().padStart(9, '0');
  const date = new Date(Number(seconds) * 1000);
  const offset = date.getTimezoneOffset();
  return `${localDateTime(date, 'T')}.${fraction}${offset === 0 ? 'Z' : offsetText(offset, true)}`;
}

const durationUnits: Record<string, number> = { ns: 1e-6, us: 1e-3, 'µs': 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** Go's time.ParseDuration, in milliseconds; undefined when `text` is not a duration. */
export function parseGoDuration(text: string): number | undefined {
  const match = /^([+-]?)((?:\d+(?:\.\d*)?|\.\d+)(?:ns|us|µs|ms|s|m|h))+$/.test(text) || text === '0';
  if (!match) return undefined;
  let total = 0;
  for (const [, number, unit] of text.matchAll(/(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|ms|s|m|h)/g)) total += Number(number) * durationUnits[unit];
  return text.startsWith('-') ? -total : total;
}

/**
 * A `--since` value as docker reads it (timetypes.GetTimestamp): a Go duration
 * before now ("10m"), unix seconds ("1700000000.5") or an RFC 3339 date. Unix nanoseconds.
 */
export function parseSince(value: string, nowMs: number): number {
  const duration = value === '0' ? undefined : parseGoDuration(value);
  if (duration !== undefined) return (nowMs - duration) * 1e6;
  if (/^\d+(\.\d+)?$/.test(value)) return Number(value) * 1e9;
  if (/^\d{4}-\d{2}-\d{2}/.test(value)) {
    const ms = Date.parse(value);
    if (!Number.isNaN(ms)) {
      const fraction = /\.(\d+)/.exec(value.slice(19))?.[1] ?? '';
      return Math.floor(ms / 1000) * 1e9 + Number(fraction.padEnd(9, '0').slice(0, 9));
    }
  }
  throw new Error(`failed to parse value as time or duration: ${JSON.stringify(value)}`);
}
