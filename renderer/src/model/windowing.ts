// The arithmetic of a virtualized list with fixed-height rows: which rows to
// mount for a scroll position, and where to scroll to bring a row into view.
// Only the rows on screen (plus a few either side) exist in the DOM, so a
// directory of 20,000 files scrolls as smoothly as one of 20.

export interface WindowRange {
  /** First row to render (inclusive). */
  start: number;
  /** Row after the last one to render (exclusive). */
  end: number;
  /** Pixels above `start`: where the first rendered row sits. */
  offset: number;
  /** Height of all rows together: the scroll area's content height. */
  total: number;
}

export function visibleRange(scrollTop: number, viewport: number, rowHeight: number, count: number, overscan = 6): WindowRange {
  const total = count * rowHeight;
  if (count === 0 || rowHeight <= 0) return { start: 0, end: 0, offset: 0, total: Math.max(0, total) };
  const top = Math.min(Math.max(0, scrollTop), Math.max(0, total - viewport));
  const first = Math.floor(top / rowHeight);
  const last = Math.ceil((top + Math.max(0, viewport)) / rowHeight);
  const start = Math.max(0, first - overscan);
  const end = Math.min(count, last + overscan);
  return { start, end, offset: start * rowHeight, total };
}

/**
 * The rows to draw next: the ones drawn now while they still cover every row
 * in view (so a window that moving would shift by a pixel does not flip back
 * and forth, and scrolling redraws once per `overscan` rows, not per row),
 * else the rows in view with `overscan` either side.
 */
export function nextWindow<W extends { start: number; end: number }>(
  current: W,
  scrollTop: number,
  viewport: number,
  rowHeight: number,
  count: number,
  overscan = 6,
): W | { start: number; end: number } {
  const needed = visibleRange(scrollTop, viewport, rowHeight, count, 0);
  if (Math.min(current.start, count) <= needed.start && Math.min(current.end, count) >= needed.end) return current;
  const { start, end } = visibleRange(scrollTop, viewport, rowHeight, count, overscan);
  return { start, end };
}

/** The scrollTop that brings row `index` fully into view, moving as little as possible. */
export function scrollToReveal(index: number, scrollTop: number, viewport: number, rowHeight: number): number {
  const top = index * rowHeight;
  const bottom = top + rowHeight;
  if (top < scrollTop) return top;
  if (bottom > scrollTop + viewport) return Math.max(0, bottom - viewport);
  return scrollTop;
}

/** The row a key moves to: arrows by one, Page keys by a screenful, Home/End to the ends. */
export function moveActive(key: string, active: number, count: number, pageRows: number): number | undefined {
  if (count === 0) return undefined;
  const clamp = (i: number) => Math.min(count - 1, Math.max(0, i));
  switch (key) {
    case 'ArrowDown':
      return clamp(active + 1);
    case 'ArrowUp':
      return clamp(active - 1);
    case 'PageDown':
      return clamp(active + Math.max(1, pageRows - 1));
    case 'PageUp':
      return clamp(active - Math.max(1, pageRows - 1));
    case 'Home':
      return 0;
    case 'End':
      return count - 1;
    default:
      return undefined;
  }
}
