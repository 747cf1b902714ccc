// The names in a tar as it streams past, without keeping its contents: the
// tour lists what `save` and `export` wrote side by side. ustar headers
// (name with prefix), PAX `path` records and GNU long names are read.

export interface TarEntry {
  name: string;
  type: 'file' | 'dir' | 'symlink' | 'hardlink' | 'other';
  size: number;
}

const block = 512;

function text(bytes: Uint8Array): string {
  const end = bytes.indexOf(0);
  return new TextDecoder().decode(end < 0 ? bytes : bytes.subarray(0, end));
}

function octal(bytes: Uint8Array): number {
  const s = text(bytes).trim();
  return s ? parseInt(s, 8) : 0;
}

const types: Record<string, TarEntry['type']> = { '0': 'file', '\0': 'file', '5': 'dir', '2': 'symlink', '1': 'hardlink' };

/** Feed it the archive's bytes in pieces; `entries` grows as headers pass. */
export class TarLister {
  readonly entries: TarEntry[] = [];
  private header = new Uint8Array(block);
  private filled = 0;
  /** Bytes of the current entry's body (padded) still to pass. */
  private skip = 0;
  /** The body of a PAX or GNU long-name record, collected: it names the next entry. */
  private meta?: { kind: 'pax' | 'gnu'; bytes: Uint8Array; at: number };
  private longName?: string;
  private ended = false;

  feed(chunk: Uint8Array): void {
    let i = 0;
    while (i < chunk.length && !this.ended) {
      if (this.skip > 0) {
        const n = Math.min(this.skip, chunk.length - i);
        if (this.meta && this.meta.at < this.meta.bytes.length) {
          const take = Math.min(n, this.meta.bytes.length - this.meta.at);
          this.meta.bytes.set(chunk.subarray(i, i + take), this.meta.at);
          this.meta.at += take;
        }
        this.skip -= n;
        i += n;
        if (this.skip === 0 && this.meta) this.endMeta();
        continue;
      }
      const n = Math.min(block - this.filled, chunk.length - i);
      this.header.set(chunk.subarray(i, i + n), this.filled);
      this.filled += n;
      i += n;
      if (this.filled === block) {
        this.filled = 0;
        this.onHeader(this.header);
      }
    }
  }

  private onHeader(h: Uint8Array): void {
    if (h.every((b) => b === 0)) {
      this.ended = true;
      return;
    }
    const size = octal(h.subarray(124, 136));
    const flag = String.fromCharCode(h[156]);
    this.skip = Math.ceil(size / block) * block;
    if (flag === 'x' || flag === 'L') {
      this.meta = { kind: flag === 'x' ? 'pax' : 'gnu', bytes: new Uint8Array(size), at: 0 };
      if (this.skip === 0) this.endMeta();
      return;
    }
    if (flag === 'g') return; // global PAX header: names nothing
    const prefix = text(h.subarray(345, 500));
    const name = this.longName ?? (prefix ? `${prefix}/${text(h.subarray(0, 100))}` : text(h.subarray(0, 100)));
    this.longName = undefined;
    this.entries.push({ name, type: types[flag] ?? 'other', size });
  }

  private endMeta(): void {
    const { kind, bytes } = this.meta!;
    this.meta = undefined;
    if (kind === 'gnu') {
      this.longName = text(bytes);
      return;
    }
    // PAX records: "LEN key=value\n".
    for (const line of new TextDecoder().decode(bytes).split('\n')) {
      const m = /^\d+ path=(.*)$/.exec(line);
      if (m) this.longName = m[1];
    }
  }
}
