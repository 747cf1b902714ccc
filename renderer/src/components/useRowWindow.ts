// Windowing for the rows of a table that scrolls with the page (the
// containers list): only the rows in view, and a few either side, are in the
// DOM, so a list of hundreds is redrawn (at every event and status refresh)
// and scrolled without dropped frames. Space rows above and below the drawn
// ones keep the scroll height. The rows must share one height (one line
// each); it is measured from the rows drawn, never assumed.

import { useLayoutEffect, useRef, useState, type RefObject } from 'react';
import { nextWindow } from '../model/windowing';

export interface RowWindow {
  /** Put on the <tbody>; its data rows carry aria-rowindex, its space rows do not. */
  body: RefObject<HTMLTableSectionElement | null>;
  /** The rows to draw: start (inclusive) to end (exclusive). */
  start: number;
  end: number;
  /** Heights (px) of the space rows that stand for the rows above and below. */
  before: number;
  after: number;
}

/** Drawn before any row could be measured: more than a tall window shows. */
const firstRows = 40;

export function useRowWindow(count: number, overscan = 10): RowWindow {
  const body = useRef<HTMLTableSectionElement>(null);
  // The row height lives in the state too: the space rows change with it.
  const [range, setRange] = useState({ start: 0, end: firstRows, rowHeight: 0 });

  const update = useRef(() => {});
  update.current = () => {
    const el = body.current;
    if (!el) return;
    const rows = el.querySelectorAll<HTMLTableRowElement>(':scope > tr[aria-rowindex]');
    let measured = 0;
    if (rows.length > 1) {
      measured = (rows[rows.length - 1].getBoundingClientRect().top - rows[0].getBoundingClientRect().top) / (rows.length - 1);
    } else if (rows.length === 1) {
      measured = rows[0].getBoundingClientRect().height;
    }
    // Fractional heights measure a hair differently from one set of rows to the next: keep the first unless it is really off.
    const rowHeight = measured > 0 && Math.abs(measured - range.rowHeight) > 0.5 ? measured : range.rowHeight;
    if (rowHeight <= 0) return;
    // The views scroll inside the window's main area (App.tsx), not the document.
    const scroller = el.closest('main') ?? document.documentElement;
    const into = scroller.getBoundingClientRect().top - el.getBoundingClientRect().top;
    const next = nextWindow(range, into, scroller.clientHeight, rowHeight, count, overscan);
    if (next !== range || rowHeight !== range.rowHeight) setRange({ start: next.start, end: next.end, rowHeight });
  };

  // After every render (new data, a new window): measure and move the window if the view needs it.
  useLayoutEffect(() => update.current());

  useLayoutEffect(() => {
    const scroller = body.current?.closest('main');
    if (!scroller) return;
    const onChange = () => update.current();
    scroller.addEventListener('scroll', onChange, { passive: true });
    const resize = new ResizeObserver(onChange);
    resize.observe(scroller);
    return () => {
      scroller.removeEventListener('scroll', onChange);
      resize.disconnect();
    };
  }, []);

  const end = Math.min(range.end, count);
  const start = Math.min(range.start, end);
  return { body, start, end, before: start * range.rowHeight, after: (count - end) * range.rowHeight };
}
