// Pull and push progress as the docker CLI prints it (moby's jsonmessage):
// lines of their own ("latest: Pulling from library/ubuntu", "Digest: …")
// as they come; a layer's line ("0c178cf6f84b: Downloading [==>   ]
// 12.3MB/45.6MB") redrawn in place on a terminal, with the cursor moved up
// to it and back; without a terminal, only a layer's states that carry no
// byte counts, one line each (Docker prints no progress bars to a pipe).

import type { TransferLine } from '../api';
import { humanSize } from '../humanize';

const clearLine = '\x1b[2K';
const up = (n: number) => `\x1b[${n}A`;
const down = (n: number) => `\x1b[${n}B`;

/** moby's JSONProgress.String(): the bar (on wide terminals) and the byte counts. */
export function progressText(current: number | undefined, total: number | undefined, width: number): string {
  const cur = current ?? 0;
  const tot = total ?? 0;
  if (cur <= 0 && tot <= 0) return '';
  if (tot <= 0) return humanSize(cur).padStart(8);
  const percentage = Math.min(50, Math.trunc(Math.trunc((cur / tot) * 100) / 2));
  let bar = '';
  if (width > 110) bar = `[${'='.repeat(percentage)}>${' '.repeat(Math.max(0, 50 - percentage))}] `;
  const numbers = cur > tot ? humanSize(cur).padStart(8) : `${humanSize(cur).padStart(8)}/${humanSize(tot)}`;
  return bar + numbers;
}

export class TransferPrinter {
  /** Layer id → its line's index among the lines drawn since the last plain line. */
  private readonly lines = new Map<string, number>();

  constructor(
    private readonly write: (text: string) => void,
    private readonly terminal: boolean,
    private readonly width: () => number,
  ) {}

  print(m: TransferLine): void {
    if (m.type === 'status') {
      // A plain line ends the block of layer lines: later ones start a new block below it.
      this.lines.clear();
      this.write(`${m.id !== undefined ? `${m.id}: ` : ''}${m.text}\n`);
      return;
    }
    const bar = progressText(m.current, m.total, this.terminal ? this.width() : 200);
    if (!this.terminal) {
      if (bar === '') this.write(`${m.id}: ${m.status}\n`);
      return;
    }
    let line = this.lines.get(m.id);
    let out = '';
    if (line === undefined) {
      line = this.lines.size;
      this.lines.set(m.id, line);
      out += '\n';
    }
    const diff = this.lines.size - line;
    out += `${up(diff)}${clearLine}\r${m.id}: ${m.status} ${bar}\r${down(diff)}`;
    this.write(out);
  }
}
