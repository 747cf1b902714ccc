// Signal names as users type them (SIGTERM, TERM, term, 15) to numbers.

import os from 'node:os';
import { invalidArgument } from '../errors';

const byName = os.constants.signals as Record<string, number>;

export function parseSignal(input: string): number {
  const s = input.trim();
  if (/^\d+$/.test(s)) {
    const n = Number(s);
    if (n >= 1 && n <= 64) return n;
  } else {
    const name = s.toUpperCase().startsWith('SIG') ? s.toUpperCase() : `SIG${s.toUpperCase()}`;
    const n = byName[name];
    if (n !== undefined) return n;
  }
  throw invalidArgument(`Invalid signal: ${input}`);
}
