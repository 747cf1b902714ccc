import { execFileSync } from 'node:child_process';
import { Readable } from 'node:stream';
import zlib from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { decompressed, detectCompression } from './decompress';

const plain = Buffer.from('layer bytes '.repeat(10_000));

async function all(input: Buffer, chunk = 1000): Promise<Buffer> {
  const pieces: Buffer[] = [];
  for (let i = 0; i < input.length; i += chunk) pieces.push(input.subarray(i, i + chunk));
  const out: Buffer[] = [];
  for await (const c of decompressed(Readable.from(pieces))) out.push(c);
  return Buffer.concat(out);
}

const compress = (program: string) => execFileSync(program, ['-c'], { input: plain, maxBuffer: 1 << 26 });

const savedPath = process.env.PATH;
afterEach(() => {
  process.env.PATH = savedPath;
});

describe('decompressed', () => {
  it('tells formats by their magic bytes', () => {
    expect(detectCompression(zlib.gzipSync(plain))).toBe('gzip');
    expect(detectCompression(compress('bzip2'))).toBe('bzip2');
    expect(detectCompression(compress('xz'))).toBe('xz');
    expect(detectCompression(compress('zstd'))).toBe('zstd');
    expect(detectCompression(plain)).toBe('none');
    expect(detectCompression(Buffer.from([0x1f]))).toBe('none');
  });

  it('passes an uncompressed stream through, even a tiny one', async () => {
    expect((await all(plain)).equals(plain)).toBe(true);
    expect(await all(Buffer.from('ab'))).toEqual(Buffer.from('ab'));
    expect(await all(Buffer.alloc(0))).toEqual(Buffer.alloc(0));
  });

  it('decompresses gzip, bzip2, xz and zstd, with magic split across chunks', async () => {
    // Compared with equals(): a deep equality over 120 kB would take most of a second.
    expect((await all(zlib.gzipSync(plain), 5)).equals(plain)).toBe(true);
    for (const program of ['bzip2', 'xz', 'zstd']) expect((await all(compress(program), 3)).equals(plain)).toBe(true);
  });

  it('reports a damaged stream as an invalid layer', async () => {
    const xz = compress('xz');
    await expect(all(xz.subarray(0, xz.length - 20))).rejects.toThrow(/^invalid layer: xz: /);
    const gz = zlib.gzipSync(plain);
    gz[20] ^= 0xff;
    await expect(all(gz)).rejects.toThrow(/^invalid layer: gzip: /);
  });

  it('says which program is missing', async () => {
    process.env.PATH = '/nonexistent';
    await expect(all(compress('/usr/bin/zstd'))).rejects.toThrow(
      'invalid layer: zstd-compressed layers need the zstd program, which is not installed',
    );
  });
});
