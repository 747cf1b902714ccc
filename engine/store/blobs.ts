// Content-addressed blobs: <root>/blobs/sha256/<hex>. A blob is written to a
// temporary file in the same directory, flushed, then renamed into place, so
// a reader (or a crash) sees either the whole blob under its name or nothing.
// Configs and manifests are small and go through put(); layer tarballs stream
// through putStream().

import fs from 'node:fs';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { invalidArgument, notFound } from '../errors';
import { digestHex, sha256Digest } from '../oci/digest';
import { isAbandoned, tempName } from './liveness';

const tempPrefix = '.tmp-';

export class BlobStore {
  readonly dir: string;

  constructor(root: string) {
    this.dir = path.join(root, 'blobs', 'sha256');
    fs.mkdirSync(this.dir, { recursive: true });
  }

  path(digest: string): string {
    return path.join(this.dir, digestHex(digest, 'blob digest'));
  }

  has(digest: string): boolean {
    return fs.existsSync(this.path(digest));
  }

  /** Stores `data` (idempotent) and returns its digest. */
  put(data: Uint8Array | string): string {
    const bytes = typeof data === 'string' ? Buffer.from(data) : data;
    const digest = sha256Digest(bytes);
    if (this.has(digest)) return digest;
    const tmp = path.join(this.dir, tempName(tempPrefix));
    try {
      const fd = fs.openSync(tmp, 'wx', 0o644);
      try {
        fs.writeSync(fd, bytes);
        fs.fsyncSync(fd);
      } finally {
        fs.closeSync(fd);
      }
      this.commit(tmp, digest);
    } finally {
      fs.rmSync(tmp, { force: true });
    }
    return digest;
  }

  /** Stores a stream; when `expected` is given the content must hash to it. */
  async putStream(input: Readable, expected?: string): Promise<{ digest: string; size: number }> {
    if (expected !== undefined) digestHex(expected, 'blob digest');
    const tmp = path.join(this.dir, tempName(tempPrefix));
    const hash = process.getBuiltinModule('node:crypto').createHash('sha256'); // loaded on first write, not at open
    let size = 0;
    const out = await fs.promises.open(tmp, 'wx', 0o644);
    try {
      try {
        for await (const chunk of input) {
          const buf = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
          hash.update(buf);
          size += buf.length;
          await out.write(buf);
        }
        await out.sync();
      } finally {
        await out.close();
      }
      const digest = `sha256:${hash.digest('hex')}`;
      if (expected !== undefined && digest !== expected) {
        throw invalidArgument(`blob digest mismatch: expected ${expected}, got ${digest}`);
      }
      if (!this.has(digest)) this.commit(tmp, digest);
      return { digest, size };
    } finally {
      await fs.promises.rm(tmp, { force: true });
    }
  }

  /**
   * The blob's bytes. `size` is the length a descriptor promised; `verify`
   * re-hashes the bytes (for content that crossed a trust boundary).
   */
  get(digest: string, opts: { size?: number; verify?: boolean } = {}): Buffer {
    let bytes: Buffer;
    try {
      bytes = fs.readFileSync(this.path(digest));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw notFound(`blob ${digest} not found`);
      throw err;
    }
    if (opts.size !== undefined && bytes.length !== opts.size) {
      throw new Error(`blob ${digest} is corrupt: ${bytes.length} bytes, expected ${opts.size}`);
    }
    if (opts.verify && sha256Digest(bytes) !== digest) {
      throw new Error(`blob ${digest} is corrupt: its content hashes to ${sha256Digest(bytes)}`);
    }
    return bytes;
  }

  /** Removes a blob; false when it was not there. */
  delete(digest: string): boolean {
    try {
      fs.unlinkSync(this.path(digest));
      return true;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false;
      throw err;
    }
  }

  /** Removes temporary files left by writers that crashed. */
  sweep(): void {
    for (const name of fs.readdirSync(this.dir)) {
      if (isAbandoned(name, tempPrefix)) fs.rmSync(path.join(this.dir, name), { force: true });
    }
  }

  private commit(tmp: string, digest: string): void {
    fs.renameSync(tmp, this.path(digest));
    // The rename is durable only once the directory itself is flushed.
    const dirFd = fs.openSync(this.dir, 'r');
    try {
      fs.fsyncSync(dirFd);
    } finally {
      fs.closeSync(dirFd);
    }
  }
}
