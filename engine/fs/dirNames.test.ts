import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readNamesSync } from './dirNames';

let tmp: string;
beforeEach(() => (tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'strata-names-'))));
afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe('readNamesSync', () => {
  it('sorts by bytes, as Go does', () => {
    // UTF-16 order would put U+FF5E before U+1F600; UTF-8 byte order puts it after.
    for (const name of ['b', 'B', '.wh.x', '-x', '\u{1F600}', '\uFF5E', 'a.txt', 'a']) fs.writeFileSync(path.join(tmp, name), '');
    const expected = ['-x', '.wh.x', 'B', 'a', 'a.txt', 'b', '\uFF5E', '\u{1F600}'];
    expect(readNamesSync(tmp)).toEqual(expected);
  });

  it('refuses a name that is not UTF-8', () => {
    fs.writeFileSync(Buffer.from(`${tmp}/caf\xe9`, 'latin1'), '');
    expect(() => readNamesSync(tmp)).toThrow(`${tmp}: file name is not valid UTF-8: "caf\u00e9"`);
  });
});
