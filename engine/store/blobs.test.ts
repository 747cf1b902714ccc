import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BlobStore } from './blobs';
import { sha256Digest } from '../oci/digest';

let root: string;
beforeEach(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'strata-blobs-'));
});
afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

describe('BlobStore', () => {
  it('stores content under its digest and reads it back', () => {
    const blobs = new BlobStore(root);
    const d = blobs.put('{"a":1}');
    expect(d).toBe(sha256Digest('{"a":1}'));
    expect(blobs.path(d)).toBe(path.join(root, 'blobs', 'sha256', d.slice(7)));
    expect(fs.readFileSync(blobs.path(d), 'utf8')).toBe('{"a":1}');
    expect(blobs.get(d, { verify: true }).toString()).toBe('{"a":1}');
    expect(blobs.put('{"a":1}')).toBe(d); // idempotent
    expect(fs.readdirSync(blobs.dir)).toEqual([d.slice(7)]); // no temp file left
    expect(blobs.has(d)).toBe(true);
    expect(blobs.delete(d)).toBe(true);
    expect(blobs.delete(d)).toBe(false);
    expect(() => blobs.get(d)).toThrow(/not found/);
  });

  it('streams content in and checks an expected digest', async () => {
    const blobs = new BlobStore(root);
    const data = Buffer.alloc(300_000, 7);
    const { digest, size } = await blobs.putStream(Readable.from([data.subarray(0, 1000), data.subarray(1000)]));
    expect(digest).toBe(sha256Digest(data));
    expect(size).toBe(data.length);
    await expect(blobs.putStream(Readable.from([Buffer.from('x')]), sha256Digest('y'))).rejects.toThrow(/digest mismatch/);
    expect(fs.readdirSync(blobs.dir)).toEqual([digest.slice(7)]);
  });

  it('notices corruption when asked to verify', () => {
    const blobs = new BlobStore(root);
    const d = blobs.put('original');
    fs.writeFileSync(blobs.path(d), 'tampered');
    expect(blobs.get(d).toString()).toBe('tampered');
    expect(() => blobs.get(d, { verify: true })).toThrow(/corrupt/);
    expect(() => blobs.get(d, { size: 'original'.length + 1 })).toThrow(/8 bytes, expected 9/);
  });

  it('refuses names that are not digests, so no path leaves the store', () => {
    const blobs = new BlobStore(root);
    expect(() => blobs.get('sha256:../../strata.db')).toThrow(/invalid blob digest/);
    expect(() => blobs.path('../x')).toThrow(/invalid blob digest/);
  });

  it('sweeps temp files of dead writers only', () => {
    const blobs = new BlobStore(root);
    const dead = path.join(blobs.dir, '.tmp-999999999-abc');
    const mine = path.join(blobs.dir, `.tmp-${process.pid}-abc`);
    fs.writeFileSync(dead, 'half');
    fs.writeFileSync(mine, 'writing');
    blobs.sweep();
    expect(fs.existsSync(dead)).toBe(false);
    expect(fs.existsSync(mine)).toBe(true);
  });
});
