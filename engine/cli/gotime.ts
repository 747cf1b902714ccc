// The time formats docker's output uses, in the local time zone as Go does:
// Time.String() for CreatedAt ("2026-11-28 03:46:46 +0000 UTC"), the fixed
// RFC3339Nano of `docker events` lines.

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
