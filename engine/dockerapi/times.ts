// Times in Docker's query strings (since, until): unix seconds with an
// optional fraction ("1700000000.123456789"), as the CLI sends them after
// turning "10m" or a date into one, or an RFC 3339 date from other clients.

import { badRequest } from './errors';

/** Unix nanoseconds. */
export function parseApiTime(text: string, nowMs: number): number {
  const value = text.trim();
  const m = /^(-?\d+)(?:\.(\d{1,9}))?$/.exec(value);
  if (m) return Number(m[1]) * 1e9 + Number((m[2] ?? '').padEnd(9, '0'));
  const ms = Date.parse(value);
  if (!Number.isNaN(ms)) return ms * 1e6;
  if (value === '') return nowMs * 1e6;
  throw badRequest(`failed to parse value as time or duration: ${JSON.stringify(text)}`);
}
