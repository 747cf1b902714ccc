// A blob from a registry through <root>/downloads, streamed to whoever
// unpacks it as it arrives. The bytes also go to <hex>.partial (claimed by
// <hex>.lock, which holds the downloader's pid) and are hashed; a dropped
// connection resumes from where it stopped with an HTTP Range request, and
// so does a later pull after a crash or Ctrl-C (the file's bytes are
// streamed again first). The stream ends with an error unless the blob's
// size and sha256 match the descriptor, so an unpacker fed from it can
// publish nothing unverified. The files are not flushed to disk: they are
// only there for the next try.

import { createHash } from 'node:crypto';
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

  /**
   * A blob's bytes from its first, as they arrive: what an earlier try left
   * (verified, or a .partial to resume) is read back first. Every byte is
   * kept in <hex>.partial until the whole blob has arrived and matches its
   * size and digest; then it is renamed <hex>, kept until the caller
   * discards it (a try cancelled before its layer is in the store needs it
   * again). A bad blob deletes it and ends the stream with the error; a
   * dropped connection or a cancel keeps it for the next try.
   * `progress` gets the bytes downloaded so far.
   */
  async *stream(blob: BlobRef, open: OpenBlob, progress: (bytes: number) => void, signal?: AbortSignal): AsyncGenerator<Buffer> {
    const done = path.join(this.dir, digestHex(blob.digest));
    if (fs.existsSync(done)) {
      progress(blob.size);
      yield* readFile(done);
      return;
    }
    fs.mkdirSync(this.dir, { recursive: true, mode: 0o700 });
    const hex = digestHex(blob.digest);
    const claim = this.claim(hex);
    try {
      const partial = claim ? path.join(this.dir, `${hex}.partial`) : path.join(this.dir, tempName('tmp-') + '.partial');
      yield* this.receive(blob, partial, open, progress, signal);
      fs.renameSync(partial, done);
    } finally {
      if (claim) fs.rmSync(path.join(this.dir, `${hex}.lock`), { force: true });
    }
  }

  /** Deletes a verified download once its layer is in the store. */
  async discard(digest: string): Promise<void> {
    await fs.promises.rm(path.join(this.dir, digestHex(digest)), { force: true });
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

  private async *receive(blob: BlobRef, file: string, open: OpenBlob, progress: (n: number) => void, signal?: AbortSignal): AsyncGenerator<Buffer> {
    const hash = createHash('sha256');
    let offset = 0;
    if (fs.existsSync(file)) {
      if (fs.statSync(file).size > blob.size) fs.truncateSync(file, 0);
      for await (const chunk of readFile(file)) {
        hash.update(chunk);
        offset += chunk.length;
        yield chunk;
      }
    }
    progress(offset);
    const out = await fs.promises.open(file, offset > 0 ? 'a' : 'w', 0o600);
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
        // A source that ignored the Range sends what was streamed already again: it is skipped.
        let skip = offset > 0 && !opened.partial ? offset : 0;
        try {
          for await (const chunk of opened.body) {
            let buf = chunk as Buffer;
            if (skip > 0) {
              const dropped = Math.min(skip, buf.length);
              skip -= dropped;
              buf = buf.subarray(dropped);
              if (buf.length === 0) continue;
            }
            if (offset + pendingLength + buf.length > blob.size) throw invalidArgument(`blob ${blob.digest} is larger than the ${blob.size} bytes its manifest says`);
            hash.update(buf);
            pending.push(buf);
            pendingLength += buf.length;
            yield buf;
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
      // Also when the reader stops (a cancel): what was taken in is kept for the next try.
      await flush().catch(() => undefined);
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

async function* readFile(file: string): AsyncGenerator<Buffer> {
  for await (const chunk of fs.createReadStream(file, { highWaterMark: 1 << 20 })) yield chunk as Buffer;
}
