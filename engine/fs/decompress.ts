// Layer tars arrive compressed or not. As Docker does, the format is told by
// its magic bytes, never by a name or a media type: gzip through node:zlib,
// bzip2, xz and zstd through their programs when the machine has them.

import { spawn } from 'node:child_process';
import { Readable, pipeline } from 'node:stream';
import zlib from 'node:zlib';
import { invalidArgument } from '../errors';

export type Compression = 'none' | 'gzip' | 'bzip2' | 'xz' | 'zstd';

const MAGIC: Array<[Exclude<Compression, 'none'>, number[]]> = [
  ['gzip', [0x1f, 0x8b, 0x08]],
  ['bzip2', [0x42, 0x5a, 0x68]], // "BZh"
  ['xz', [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00]],
  ['zstd', [0x28, 0xb5, 0x2f, 0xfd]],
];

/** The longest magic: how many leading bytes detection needs. */
const HEAD = 6;

export function detectCompression(head: Buffer): Compression {
  for (const [format, magic] of MAGIC) {
    if (head.length >= magic.length && magic.every((b, i) => head[i] === b)) return format;
  }
  return 'none';
}

/** The uncompressed bytes of `input`, whichever compression it uses (told to `onFormat` once known). */
export async function* decompressed(
  input: AsyncIterable<Buffer | string>,
  onFormat?: (format: Compression) => void,
): AsyncGenerator<Buffer, void, undefined> {
  const it = input[Symbol.asyncIterator]();
  const head: Buffer[] = [];
  let headLength = 0;
  let ended = false;
  while (headLength < HEAD && !ended) {
    const next = await it.next();
    if (next.done) ended = true;
    else {
      const chunk = typeof next.value === 'string' ? Buffer.from(next.value) : next.value;
      head.push(chunk);
      headLength += chunk.length;
    }
  }
  async function* whole(): AsyncGenerator<Buffer> {
    try {
      yield* head;
      if (ended) return;
      for (let next = await it.next(); !next.done; next = await it.next()) {
        yield typeof next.value === 'string' ? Buffer.from(next.value) : next.value;
      }
    } finally {
      await it.return?.();
    }
  }

  const format = detectCompression(Buffer.concat(head));
  onFormat?.(format);
  if (format === 'none') yield* whole();
  else if (format === 'gzip') yield* gunzipped(whole());
  else yield* throughProgram(format, whole());
}

async function* gunzipped(source: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
  // Pieces of 256 KiB, not zlib's 16: a sixteenth as many chunks for the tar reader and the hash.
  const out = pipeline(Readable.from(source), zlib.createGunzip({ chunkSize: 1 << 18 }), () => {});
  try {
    for await (const chunk of out) yield chunk as Buffer;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? '';
    if (code.startsWith('Z_')) throw invalidArgument(`invalid layer: gzip: ${(err as Error).message}`);
    throw err;
  } finally {
    out.destroy();
  }
}

/** Each format's program is named after it and decompresses to stdout with -dc. */
async function* throughProgram(
  program: 'bzip2' | 'xz' | 'zstd',
  source: AsyncIterable<Buffer>,
): AsyncGenerator<Buffer> {
  const child = spawn(program, ['-dc'], { stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr = (stderr + d).slice(-4096)));
  const exited = new Promise<number | null>((resolve, reject) => {
    const missing = `invalid layer: ${program}-compressed layers need the ${program} program, which is not installed`;
    child.on('error', (err: NodeJS.ErrnoException) => reject(err.code === 'ENOENT' ? invalidArgument(missing) : err));
    child.on('close', (code) => resolve(code));
  });
  // Awaited once the output is read; until then a failure to start must not count as unhandled.
  exited.catch(() => {});
  // The program may stop reading early (corrupt input): its exit status tells, not the EPIPE.
  pipeline(Readable.from(source), child.stdin, () => {});
  try {
    for await (const chunk of child.stdout) yield chunk as Buffer;
    const code = await exited;
    if (code !== 0) {
      const why = stderr.trim().split('\n').pop() || `exit status ${code}`;
      throw invalidArgument(`invalid layer: ${program}: ${why}`);
    }
  } finally {
    if (child.exitCode === null && child.signalCode === null) child.kill();
  }
}
