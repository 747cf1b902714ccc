// Directory listings in the order Go's filepath.Walk (and so Docker) uses:
// names sorted by their bytes. The engine's paths are JavaScript strings, so
// a name that is not UTF-8 is refused rather than silently altered.

import fs from 'node:fs';
import { invalidArgument } from '../errors';

const utf8 = new TextDecoder('utf-8', { fatal: true });

export function readNamesSync(dir: string): string[] {
  return decodeNames(dir, fs.readdirSync(dir, { encoding: 'buffer' }));
}

/** `names` read from `dir`, sorted by their bytes and decoded. */
export function decodeNames(dir: string, names: Buffer[]): string[] {
  return names.sort(Buffer.compare).map((name) => {
    try {
      return utf8.decode(name);
    } catch {
      throw invalidArgument(`${dir}: file name is not valid UTF-8: ${JSON.stringify(name.toString('latin1'))}`);
    }
  });
}
