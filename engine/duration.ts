// Go's time.ParseDuration ("1m30s", "1.5h", "250ms"), in nanoseconds: the
// durations Docker's flags, HEALTHCHECK options and time filters are written in.

import { invalidArgument } from './errors';

const durationUnits: Record<string, number> = { ns: 1, us: 1e3, 'µs': 1e3, 'μs': 1e3, ms: 1e6, s: 1e9, m: 60e9, h: 3600e9 };

export function parseGoDuration(text: string): number {
  const invalid = () => invalidArgument(`time: invalid duration ${JSON.stringify(text)}`);
  const m = /^([-+]?)(.*)$/.exec(text)!;
  if (m[2] === '0') return 0;
  const parts = [...m[2].matchAll(/(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h)/g)];
  if (m[2] === '' || parts.map((p) => p[0]).join('') !== m[2]) throw invalid();
  const ns = parts.reduce((sum, p) => sum + Number(p[1]) * durationUnits[p[2]], 0);
  return Math.round(m[1] === '-' ? -ns : ns);
}
