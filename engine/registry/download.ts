// A blob from a registry into <root>/downloads, verified before anything
// else may use it. The bytes go to <hex>.partial (claimed by <hex>.lock,
// which holds the downloader's pid) and are hashed as they arrive; a
// dropped connection resumes from where it stopped with an HTTP Range
// request, and so does a later pull after a crash or Ctrl-C. Only a file
// whose size and sha256 match the descriptor is renamed to <hex>; a
// mismatch deletes it. The layer store never sees unverified bytes. The
// files are not flushed to disk: they are a cache, and what is unpacked
// from one is checked against the image config's diff id all the same.

import { createHash, type Hash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { invalidArgument, unavailable } from '../errors';
import { digestHex } from '../oci/digest';
import { isAbandoned, tempName } from '../store/liveness';

export interface BlobRef {
  digest: string;
  size: number;
}

/** Opens the blob's bytes from `offset` on; `partial` false means the source sent it all from the start. */
export type OpenBlob = (offset: number, signal?: AbortSignal) => Promise<{ body: Readable; partial: boolean }>;

/** Reconnections a download may make before it gives up (Docker's HTTP reader retries similarly). */
const maxReconnects = 5;

export class Downloads {
  constructor(readonly dir: string) {}

  /** The verified file of a blob, when an earlier pull left one. */
  verified(digest: string): string | undefined {
    const file = path.join(this.dir, digestHex(digest));
    return fs.existsSync(file) ? file : undefined;
  }

  /** Downloads (or resumes) a blob; resolves to its verified file. `progress` gets the bytes on disk so far. */
  async fetch(blob: BlobRef, open: OpenBlob, progress: (bytes: number) => void, signal?: AbortSignal): Promise<string> {
    const done = this.verified(blob.digest);
    if (done) return done;
    fs.mkdirSync(this.dir, { recursive: true, mode: 0o700 });
    const hex = digestHex(blob.digest);
    const claim = this.claim(hex);
    try {
      const partial = claim ? path.join(this.dir, `${hex}.partial`) : path.join(this.dir, tempName('tmp-') + '.partial');
      await this.receive(blob, partial, open, progress, signal);
      const final = path.join(this.dir, hex);
      fs.renameSync(partial, final);
      return final;
    } finally {
      if (claim) fs.rmSync(path.join(this.dir, `${hex}.lock`), { force: true });
    }
  }

  /** Deletes a verified download once its layer is in the store. */
  discard(digest: string): void {
    fs.rmSync(path.join(this.dir, digestHex(digest)), { force: true });
  }

  /** True when this process now owns <hex>.partial; false when another live process is downloading it. */
  private claim(hex: string): boolean {
    const lock = path.join(this.dir, `${hex}.lock`);
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        fs.writeFileSync(lock, String(process.pid), { flag: 'wx', mode: 0o600 });
        return true;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
        const owner = fs.readFileSync(lock, 'utf8').trim();
        if (!isAbandoned(`p${owner}`, 'p')) return false;
        fs.rmSync(lock, { force: true });
      }
    }
    return false;
  }

  private async receive(blob: BlobRef, file: string, open: OpenBlob, progress: (n: number) => void, signal?: AbortSignal): Promise<void> {
    let hash = createHash('sha256');
    let offset = 0;
    if (fs.existsSync(file)) {
      offset = fs.statSync(file).size;
      if (offset > blob.size) {
        fs.truncateSync(file, 0);
        offset = 0;
      } else await hashFile(file, hash);
    }
    progress(offset);
    const out = await fs.promises.open(file, offset > 0 ? 'a' : 'w', 0o600);
    try {
      let reconnects = 0;
      const again = async (err: unknown) => {
        if (signal?.aborted || (err as { code?: string }).code === 'InvalidArgument' || ++reconnects > maxReconnects) throw err;
        await new Promise((r) => setTimeout(r, 200 * reconnects));
      };
      for (let first = true; first || offset < blob.size; first = false) {
        let opened;
        try {
          opened = await open(offset, signal);
        } catch (err) {
          await again(err);
          continue;
        }
        if (offset > 0 && !opened.partial) {
          // The source ignored the Range: start again from its first byte.
          await out.truncate(0);
          offset = 0;
          hash = createHash('sha256');
        }
        // Written in pieces of about 1 MiB: one write per network chunk costs more than the copy.
        let pending: Buffer[] = [];
        let pendingLength = 0;
        const flush = async () => {
          if (pendingLength === 0) return;
          const data = pending.length === 1 ? pending[0]! : Buffer.concat(pending, pendingLength);
          pending = [];
          pendingLength = 0;
          await out.write(data);
          offset += data.length;
          progress(offset);
        };
        try {
          for await (const chunk of opened.body) {
            const buf = chunk as Buffer;
            if (offset + pendingLength + buf.length > blob.size) throw invalidArgument(`blob ${blob.digest} is larger than the ${blob.size} bytes its manifest says`);
            hash.update(buf);
            pending.push(buf);
            pendingLength += buf.length;
            if (pendingLength >= 1 << 20) await flush();
          }
          await flush();
        } catch (err) {
          opened.body.destroy();
          // What arrived intact is kept: the next request resumes after it.
          await flush().catch(() => undefined);
          await again(err);
          continue;
        }
        if (offset < blob.size) await again(unavailable(`blob ${blob.digest} ended after ${offset} of ${blob.size} bytes`));
      }
    } finally {
      await out.close();
    }
    const digest = `sha256:${hash.digest('hex')}`;
    if (offset !== blob.size || digest !== blob.digest) {
      fs.rmSync(file, { force: true });
      throw invalidArgument(`filesystem layer verification failed for digest ${blob.digest}`);
    }
  }

  /** Removes downloads nobody is writing that are older than a day. */
  sweep(): void {
    let names: string[];
    try {
      names = fs.readdirSync(this.dir);
    } catch {
      return;
    }
    const dayAgo = Date.now() - 86_400_000;
    for (const name of names) {
      const file = path.join(this.dir, name);
      try {
        if (name.startsWith('tmp-') && isAbandoned(name, 'tmp-')) fs.rmSync(file, { force: true });
        else if (fs.statSync(file).mtimeMs < dayAgo && !name.endsWith('.lock')) fs.rmSync(file, { force: true });
      } catch {
        // Gone meanwhile.
      }
    }
  }
}

async function hashFile(file: string, hash: Hash): Promise<void> {
  for await (const chunk of fs.createReadStream(file, { highWaterMark: 1 << 20 })) hash.update(chunk as Buffer);
}
