import { describe, expect, it } from 'vitest';
import { ByteSource } from './byteSource';

async function* chunks(...parts: string[]) {
  for (const part of parts) yield Buffer.from(part);
}

describe('ByteSource', () => {
  it('reads exact sizes across chunk boundaries', async () => {
    const src = new ByteSource(chunks('ab', '', 'cdef', 'g')[Symbol.asyncIterator]());
    expect((await src.read(3)).toString()).toBe('abc');
    expect((await src.readSome(10)).toString()).toBe('def');
    await src.skip(1);
    expect(src.position).toBe(7);
    await expect(src.read(1)).rejects.toThrow('invalid tar: unexpected end of data');
  });

  it('drains what is left so a digest upstream sees every byte', async () => {
    let pulled = 0;
    async function* counted() {
      for (const part of ['x', 'yy', 'zzz']) {
        pulled += part.length;
        yield Buffer.from(part);
      }
    }
    const src = new ByteSource(counted()[Symbol.asyncIterator]());
    await src.read(1);
    expect(await src.drain(5)).toBe(true);
    expect(pulled).toBe(6);
  });

  it('stops draining once more than the limit is left', async () => {
    let pulled = 0;
    async function* endless() {
      for (;;) {
        pulled += 100;
        yield Buffer.alloc(100);
      }
    }
    const src = new ByteSource(endless()[Symbol.asyncIterator]());
    expect(await src.drain(1000)).toBe(false);
    expect(pulled).toBe(1100);
  });
});
