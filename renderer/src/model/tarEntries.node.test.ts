import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { TarLister } from './tarEntries';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'strata-tarlist-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** A tree with a long name, a symlink and a hard link, tarred by GNU tar in a format; and what tar -t lists. */
const made = new Map<string, { bytes: Buffer; names: string[] }>();
function archive(format: string): { bytes: Buffer; names: string[] } {
  if (!made.has(format)) made.set(format, tarred(format));
  return made.get(format)!;
}

function tarred(format: string): { bytes: Buffer; names: string[] } {
  const src = path.join(dir, `src-${format}`);
  const deep = path.join(src, 'a'.repeat(60), 'b'.repeat(60));
  fs.mkdirSync(deep, { recursive: true });
  fs.writeFileSync(path.join(deep, `${'c'.repeat(90)}.txt`), 'x'.repeat(1500));
  fs.writeFileSync(path.join(src, 'small'), 'hi\n');
  fs.symlinkSync('small', path.join(src, 'link'));
  fs.linkSync(path.join(src, 'small'), path.join(src, 'hard'));
  const file = path.join(dir, `${format}.tar`);
  const tar = spawnSync('tar', [`--format=${format}`, '-cf', file, '-C', src, '.'], { encoding: 'utf8' });
  if (tar.status !== 0) throw new Error(tar.stderr);
  const names = spawnSync('tar', ['-tf', file], { encoding: 'utf8' }).stdout.trim().split('\n');
  return { bytes: fs.readFileSync(file), names };
}

describe('TarLister', () => {
  it.each(['pax', 'gnu', 'ustar'])('lists what tar -t lists (%s), whatever the pieces it is fed', (format) => {
    const { bytes, names } = archive(format);
    for (const piece of [1, 511, 512, 4096, 100_000]) {
      const lister = new TarLister();
      for (let i = 0; i < bytes.length; i += piece) lister.feed(bytes.subarray(i, i + piece));
      expect(lister.entries.map((e) => e.name)).toEqual(names);
      expect(lister.entries.find((e) => e.name.endsWith('.txt'))).toMatchObject({ type: 'file', size: 1500 });
      expect(lister.entries.find((e) => e.name === './link')?.type).toBe('symlink');
      expect(lister.entries.find((e) => e.name === './hard')?.type).toBe('hardlink');
    }
  });

  it('stops at the end-of-archive blocks', () => {
    const { bytes, names } = archive('pax');
    const lister = new TarLister();
    lister.feed(Buffer.concat([bytes, Buffer.from('trailing garbage after the end')]));
    expect(lister.entries).toHaveLength(names.length);
  });
});
