// Go's text/tabwriter, as the docker CLI uses it for tables (minwidth 10,
// padding 3 for ps and images; minwidth 20 for top): a cell ends at a tab,
// and each column block (consecutive lines that have that cell) is as wide
// as its widest cell plus the padding. Text after a line's last tab is not
// aligned, so the last column gets no trailing spaces.

export interface TabwriterOptions {
  minWidth: number;
  padding: number;
}

const width = (cell: string) => [...cell].length; // runes, as tabwriter counts them

export function tabwrite(text: string, { minWidth, padding }: TabwriterOptions): string {
  const lines = text.split('\n').map((line) => line.split('\t'));
  const widths: number[] = [];
  const out: string[] = [];

  const writeLines = (from: number, to: number) => {
    for (let i = from; i < to; i++) {
      const cells = lines[i];
      out.push(cells.map((cell, j) => (j < widths.length ? cell.padEnd(cell.length + widths[j] - width(cell)) : cell)).join(''));
    }
  };

  const format = (line0: number, line1: number) => {
    const column = widths.length;
    for (let current = line0; current < line1; current++) {
      if (column >= lines[current].length - 1) continue;
      // This line has a cell in this column: lines before it are done at this depth.
      writeLines(line0, current);
      line0 = current;
      let blockWidth = minWidth;
      for (; current < line1 && column < lines[current].length - 1; current++) {
        blockWidth = Math.max(blockWidth, width(lines[current][column]) + padding);
      }
      widths.push(blockWidth);
      format(line0, current);
      widths.pop();
      line0 = current; // the line that ended the block has no cell here: skipping it is safe
    }
    writeLines(line0, line1);
  };

  format(0, lines.length);
  return out.join('\n');
}
