// Pulls exactly the bytes the tar reader asks for out of a stream of chunks
// of any size, without copying when one chunk already holds them.

import { invalidArgument } from '../errors';

const empty = Buffer.alloc(0);
const unexpectedEnd = () => invalidArgument('invalid tar: unexpected end of data');

export class ByteSource {
  private queue: Buffer[] = [];
  private queued = 0;
  private ended = false;
  /** Offset of the next byte handed out. */
  position = 0;

  constructor(private readonly chunks: AsyncIterator<Buffer | string>) {}

  /** Exactly n bytes; the stream ending first is "unexpected end of data". */
  async read(n: number): Promise<Buffer> {
    if (n === 0) return Buffer.alloc(0);
    if (!(await this.want(n))) throw unexpectedEnd();
    return this.take(n);
  }

  /** Exactly n bytes when they are already here, without waiting; null otherwise. */
  readNow(n: number): Buffer | null {
    if (n === 0) return empty;
    return this.queued >= n ? this.take(n) : null;
  }

  /** Between 1 and max bytes. */
  async readSome(max: number): Promise<Buffer> {
    if (!(await this.want(1))) throw unexpectedEnd();
    return this.take(Math.min(max, this.queue[0]!.length));
  }

  async skip(n: number): Promise<void> {
    if (this.readNow(n)) return;
    while (n > 0) n -= (await this.readSome(n)).length;
  }

  async close(): Promise<void> {
    await this.chunks.return?.();
  }

  /**
   * Reads the input to its end, handing the bytes to `seen` (if given) and
   * keeping none; false (and stops) once more than `limit` bytes are left.
   */
  async drain(limit: number, seen?: (bytes: Buffer) => void): Promise<boolean> {
    let left = this.queued;
    for (const chunk of this.queue) seen?.(chunk);
    this.queue = [];
    this.queued = 0;
    while (!this.ended && left <= limit) {
      const next = await this.chunks.next();
      if (next.done) this.ended = true;
      else {
        const chunk = typeof next.value === 'string' ? Buffer.from(next.value) : next.value;
        left += chunk.length;
        if (left <= limit) seen?.(chunk);
      }
    }
    return left <= limit;
  }

  private async want(n: number): Promise<boolean> {
    while (this.queued < n && !this.ended) {
      const next = await this.chunks.next();
      if (next.done) {
        this.ended = true;
      } else {
        const chunk = typeof next.value === 'string' ? Buffer.from(next.value) : next.value;
        if (chunk.length > 0) {
          this.queue.push(chunk);
          this.queued += chunk.length;
        }
      }
    }
    return this.queued >= n;
  }

  private take(n: number): Buffer {
    this.queued -= n;
    this.position += n;
    const first = this.queue[0]!;
    if (first.length > n) {
      this.queue[0] = first.subarray(n);
      return first.subarray(0, n);
    }
    if (first.length === n) {
      this.queue.shift();
      return first;
    }
    const out = Buffer.allocUnsafe(n);
    let filled = 0;
    while (filled < n) {
      const chunk = this.queue[0]!;
      const part = Math.min(chunk.length, n - filled);
      chunk.copy(out, filled, 0, part);
      filled += part;
      if (part === chunk.length) this.queue.shift();
      else this.queue[0] = chunk.subarray(part);
    }
    return out;
  }
}
