// Reads an image archive (docker save, skopeo, an OCI layout tar) as a map of
// its files, without ever writing a file under a name the archive chose:
// small files are kept in memory, big ones copied to numbered files in a
// staging dir, and a consumer may take an entry as it streams past (load
// unpacks layers straight into the layer store when it can). Symlinks and
// hard links are remembered, not made, and are resolved inside the archive
// as Docker's FollowSymlinkInScope does: an absolute target or a `..` never
// leaves the archive's root. Every blob named by a digest
// (blobs/sha256/<hex>) is checked against its content.

import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { invalidArgument } from '../errors';
import { decompressed } from '../fs/decompress';
import { entryComponents } from '../fs/layerRoot';
import { readTar, shown, type TarHeader } from '../fs/tarReader';

/** Files up to this size are kept in memory (configs, manifests, small layers)... */
const memoryFileMax = 1 << 20;
/** ...while all of them together stay under this. */
const memoryTotalMax = 64 << 20;
/** JSON documents (manifests, configs, index) larger than this are refused. */
const documentMax = 16 << 20;
/** As Linux: more symlinks than this in one lookup is a loop. */
const maxSymlinks = 40;
const blobName = /^blobs\/sha256\/([0-9a-f]{64})$/;

export interface ArchiveFile {
  name: string;
  size: number;
  /** sha256 of the bytes. */
  digest: string;
  data?: Buffer;
  staged?: string;
  /** Taken by a consumer as it streamed past: its bytes are not kept. */
  consumed?: boolean;
}

/**
 * Takes an entry as it streams past, or declines it (false, before reading
 * any of it) to have it kept. A consumer that takes it reads its body to the
 * end and says the sha256 of those bytes (which it computes anyway: the
 * archive's reader does not hash them a second time).
 */
export type EntryConsumer = (name: string, size: number, body: AsyncIterable<Buffer>) => Promise<false | { digest: string }>;

export class ArchiveContents {
  private readonly files = new Map<string, ArchiveFile>();
  private readonly symlinks = new Map<string, string>();
  private memoryUsed = 0;
  private staged = 0;

  constructor(private readonly stageDir: string) {}

  has(name: string): boolean {
    return this.lookup(name) !== undefined;
  }

  /** The file an archive path names (following symlinks inside the archive). */
  get(name: string, namedBy = 'the archive'): ArchiveFile {
    const file = this.lookup(name);
    if (!file) throw invalidArgument(`invalid archive: ${namedBy} names ${shown(name)}, which the archive does not contain`);
    return file;
  }

  /** A small JSON file's bytes. */
  document(name: string, namedBy?: string): Buffer {
    const file = this.get(name, namedBy);
    if (file.size > documentMax) throw invalidArgument(`invalid archive: ${shown(name)} is too large for a JSON document`);
    return this.bytes(file);
  }

  bytes(file: ArchiveFile): Buffer {
    if (file.data) return file.data;
    if (file.staged) return fs.readFileSync(file.staged);
    throw invalidArgument(`invalid archive: ${shown(file.name)} is needed twice`);
  }

  /** A kept file's content as a stream. */
  async *open(file: ArchiveFile): AsyncGenerator<Buffer> {
    if (file.data) yield file.data;
    else if (file.staged) yield* fs.createReadStream(file.staged, { highWaterMark: 1 << 20 }) as AsyncIterable<Buffer>;
    else throw invalidArgument(`invalid archive: ${shown(file.name)} is needed twice`);
  }

  /**
   * The path `name` stands for once every symlink on the way is followed,
   * kept inside the archive: absolute targets start at its root and `..`
   * stops there.
   */
  resolvePath(name: string): string {
    let pending = components(name);
    const done: string[] = [];
    let hops = 0;
    while (pending.length > 0) {
      const part = pending.shift()!;
      if (part === '..') {
        done.pop();
        continue;
      }
      const here = [...done, part].join('/');
      const target = this.symlinks.get(here);
      if (target === undefined) {
        done.push(part);
        continue;
      }
      if (++hops > maxSymlinks) throw invalidArgument(`invalid archive: ${shown(name)}: too many levels of symbolic links`);
      if (target.startsWith('/')) done.length = 0;
      pending = [...components(target), ...pending];
    }
    return done.join('/');
  }

  private lookup(name: string): ArchiveFile | undefined {
    return this.files.get(this.resolvePath(name));
  }

  /** Reads the whole archive (possibly compressed), offering each regular file to `consume` first. */
  async read(input: AsyncIterable<Buffer | string>, consume: EntryConsumer): Promise<void> {
    for await (const { header, body } of readTar(decompressed(input))) {
      const name = archiveName(header.name);
      if (name === '') continue;
      const previous = this.files.get(name);
      if (previous?.consumed) throw invalidArgument(`invalid archive: two entries named ${shown(name)}`);
      switch (header.type) {
        case 'dir':
          break;
        case 'symlink':
          if (header.linkname === '') throw invalidArgument(`invalid archive: ${shown(name)}: symlink with an empty target`);
          this.files.delete(name);
          this.symlinks.set(name, header.linkname);
          break;
        case 'link': {
          const target = this.files.get(archiveName(header.linkname));
          if (!target) throw invalidArgument(`invalid archive: hard link ${shown(name)} -> ${shown(header.linkname)}: no such earlier entry`);
          this.symlinks.delete(name);
          this.files.set(name, target);
          break;
        }
        case 'file':
          this.symlinks.delete(name);
          this.files.set(name, await this.take(name, header, body, consume));
          break;
        default:
          throw invalidArgument(`invalid archive: ${shown(name)}: device nodes and fifos have no place in an image archive`);
      }
    }
  }

  /** Removes what was staged. */
  async dispose(): Promise<void> {
    await fs.promises.rm(this.stageDir, { recursive: true, force: true });
  }

  private async take(name: string, header: TarHeader, body: AsyncIterable<Buffer>, consume: EntryConsumer): Promise<ArchiveFile> {
    let size = 0;
    async function* counted(): AsyncGenerator<Buffer> {
      for await (const chunk of body) {
        size += chunk.length;
        yield chunk;
      }
    }
    const hash = createHash('sha256');
    async function* hashed(): AsyncGenerator<Buffer> {
      for await (const chunk of counted()) {
        hash.update(chunk);
        yield chunk;
      }
    }
    const file: ArchiveFile = { name, size: header.size, digest: '' };
    const finish = (digest: string) => {
      file.digest = digest;
      file.size = size;
      const m = blobName.exec(name);
      if (m && file.digest !== `sha256:${m[1]}`) {
        throw invalidArgument(`invalid archive: blob ${name} does not match its digest (its content is ${file.digest})`);
      }
      return file;
    };
    const taken = await consume(name, header.size, counted());
    if (taken) {
      file.consumed = true;
      return finish(taken.digest);
    }
    if (header.size <= memoryFileMax && this.memoryUsed + header.size <= memoryTotalMax) {
      const chunks: Buffer[] = [];
      for await (const chunk of hashed()) chunks.push(chunk);
      file.data = Buffer.concat(chunks);
      this.memoryUsed += file.data.length;
      return finish(`sha256:${hash.digest('hex')}`);
    }
    fs.mkdirSync(this.stageDir, { recursive: true, mode: 0o700 });
    file.staged = path.join(this.stageDir, String(this.staged++));
    const out = await fs.promises.open(file.staged, 'wx', 0o600);
    try {
      for await (const chunk of hashed()) {
        for (let off = 0; off < chunk.length; ) off += (await out.write(chunk, off)).bytesWritten;
      }
    } finally {
      await out.close();
    }
    return finish(`sha256:${hash.digest('hex')}`);
  }
}

/** An entry's path in the archive, cleaned; '' for the root. A path that climbs out is refused. */
function archiveName(raw: string): string {
  try {
    return entryComponents(raw).join('/');
  } catch {
    throw invalidArgument(`invalid archive: entry path escapes the archive: ${shown(raw)}`);
  }
}

function components(p: string): string[] {
  return p.split('/').filter((part) => part !== '' && part !== '.');
}
