// Hostile layer tars, generated (fast-check): names that climb out ("..",
// absolute, through a symlink the same tar made), links to the outside,
// whiteouts in odd places, devices, odd modes and sizes, and bytes flipped
// in a well-formed archive. Whatever comes, unpacking ends in a layer or in
// one clear InvalidArgument, and nothing outside the layer directory changes:
// a canary file beside it keeps its content and its link count.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import fc from 'fast-check';
import { afterAll, expect, it } from 'vitest';
import { EngineError } from '../errors';
import { tarOf, treeSnapshot, type TarSpec } from '../testing/archives';
import { unpackLayer } from './tarUnpack';

const sandbox = fs.mkdtempSync(path.join(os.tmpdir(), 'strata-hostile-tar-'));
const outside = path.join(sandbox, 'outside');
fs.mkdirSync(outside);
fs.writeFileSync(path.join(outside, 'canary'), 'untouched\n');
const before = treeSnapshot(outside);
afterAll(() => fs.rmSync(sandbox, { recursive: true, force: true }));

const piece = fc.constantFrom('a', 'b', 'etc', 'link', 'dir', '..', '.', '', '.wh.a', '.wh..wh..opq', '.wh..wh.plnk', 'ünï', 'x'.repeat(120), 'sp ace', '..a');
const name = fc.oneof(
  fc.array(piece, { minLength: 1, maxLength: 5 }).map((ps) => ps.join('/')),
  fc.array(piece, { minLength: 1, maxLength: 4 }).map((ps) => `/${ps.join('/')}`),
  fc.constantFrom('link/canary', 'link/new', 'dir/../../outside/canary', '../outside/canary', `${outside}/canary`, 'a/'),
);
const target = fc.oneof(
  name,
  fc.constantFrom(outside, `${outside}/canary`, '../outside', '../../outside/canary', '/', '/etc/passwd', 'a', 'link', ''),
);
const entry: fc.Arbitrary<TarSpec> = fc.record({
  name,
  type: fc.constantFrom('file', 'dir', 'symlink', 'link', 'char', 'block', 'fifo') as fc.Arbitrary<TarSpec['type']>,
  linkname: target,
  mode: fc.oneof(fc.constant(undefined), fc.integer({ min: 0, max: 0o7777 })),
  uid: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 2 ** 21 - 1 })),
  devmajor: fc.integer({ min: 0, max: 255 }),
  devminor: fc.integer({ min: 0, max: 255 }),
  body: fc.oneof(fc.constant(''), fc.string({ maxLength: 600 })),
}).map((e) => (e.mode === undefined ? { ...e, mode: undefined } : { ...e, mode: e.mode | modeBits[e.type ?? 'file'] }));
const modeBits: Record<string, number> = { file: 0o100000, dir: 0o40000, symlink: 0o120000, link: 0o100000, char: 0o20000, block: 0o60000, fifo: 0o10000 };

let n = 0;
async function unpacks(bytes: Buffer): Promise<void> {
  const dest = path.join(sandbox, `layer-${n++}`);
  fs.mkdirSync(dest);
  try {
    await unpackLayer(Readable.from([bytes]), dest);
  } catch (err) {
    // One clear line, of the kind the CLI maps to exit 125; never a crash of the engine.
    expect(err).toBeInstanceOf(EngineError);
    expect((err as EngineError).code).toBe('InvalidArgument');
    expect((err as Error).message).not.toContain('\n');
  } finally {
    fs.rmSync(dest, { recursive: true, force: true });
  }
  expect(treeSnapshot(outside)).toEqual(before);
  expect(fs.statSync(path.join(outside, 'canary')).nlink).toBe(1);
  expect(fs.readdirSync(sandbox).sort()).toEqual(['outside']);
}

it('unpacks generated hostile tars into the layer or refuses them, never writing outside it', async () => {
  await fc.assert(fc.asyncProperty(fc.array(entry, { minLength: 1, maxLength: 12 }), (entries) => unpacks(tarOf(entries))), { numRuns: 300 });
}, 120_000);

it('reads a well-formed tar with bytes flipped anywhere without crashing', async () => {
  const valid = tarOf([
    { name: 'dir/', type: 'dir' },
    { name: 'dir/file', body: 'content\n'.repeat(100) },
    { name: 'dir/link', type: 'symlink', linkname: 'file' },
    { name: 'hard', type: 'link', linkname: 'dir/file' },
    { name: 'x'.repeat(150), body: 'a long name through PAX' },
  ]);
  const flips = fc.array(fc.record({ at: fc.nat({ max: valid.length - 1 }), byte: fc.integer({ min: 0, max: 255 }) }), { minLength: 1, maxLength: 8 });
  await fc.assert(
    fc.asyncProperty(flips, fc.nat({ max: valid.length }), async (changes, cut) => {
      const bytes = Buffer.from(valid);
      for (const c of changes) bytes[c.at] = c.byte;
      await unpacks(bytes.subarray(0, Math.max(cut, 512)));
    }),
    { numRuns: 300 },
  );
}, 120_000);
