// A windowed list: only the rows on screen exist in the DOM (see
// model/windowing.ts), so 20,000 files scroll without dropped frames. It is
// one focusable widget (a tree, listbox or list); arrow keys move the active
// row, which is announced through aria-activedescendant and kept in view.

import { useEffect, useId, useLayoutEffect, useRef, useState, type KeyboardEvent, type ReactNode } from 'react';
import { moveActive, scrollToReveal, visibleRange } from '../model/windowing';

export interface VirtualListProps {
  count: number;
  rowHeight: number;
  renderRow(index: number, props: { id: string; active: boolean }): ReactNode;
  label: string;
  role?: 'tree' | 'listbox' | 'list';
  active?: number;
  onActiveChange?(index: number): void;
  /** Keys the list does not handle itself (Enter, ArrowLeft/Right in a tree). */
  onRowKey?(index: number, e: KeyboardEvent): void;
  /** Fixed height in px; otherwise it fills its parent (which must have a height). */
  height?: number;
  overscan?: number;
  /** Keep the last row in view as rows are added (a followed log). */
  stickToBottom?: boolean;
  className?: string;
  testId?: string;
}

export function VirtualList({
  count,
  rowHeight,
  renderRow,
  label,
  role = 'list',
  active,
  onActiveChange,
  onRowKey,
  height,
  overscan = 8,
  stickToBottom,
  className = '',
  testId,
}: VirtualListProps) {
  const ref = useRef<HTMLDivElement>(null);
  const base = useId();
  const [scrollTop, setScrollTop] = useState(0);
  const [viewport, setViewport] = useState(height ?? 400);

  useLayoutEffect(() => {
    const el = ref.current;
    if (!el || height !== undefined) return;
    const measure = () => setViewport(el.clientHeight);
    measure();
    const ro = new ResizeObserver(measure);
    ro.observe(el);
    return () => ro.disconnect();
  }, [height]);

  useEffect(() => {
    const el = ref.current;
    if (el && stickToBottom) el.scrollTop = el.scrollHeight;
  }, [count, stickToBottom]);

  const reveal = (index: number) => {
    const el = ref.current;
    if (!el) return;
    const top = scrollToReveal(index, el.scrollTop, el.clientHeight, rowHeight);
    if (top !== el.scrollTop) el.scrollTop = top;
  };

  const onKeyDown = (e: KeyboardEvent) => {
    const at = active ?? -1;
    const next = moveActive(e.key, at < 0 ? (e.key === 'ArrowUp' ? count : -1) : at, count, Math.floor(viewport / rowHeight));
    if (next !== undefined) {
      e.preventDefault();
      onActiveChange?.(next);
      reveal(next);
      return;
    }
    if (at >= 0) onRowKey?.(at, e);
  };

  const range = visibleRange(scrollTop, viewport, rowHeight, count, overscan);
  const rows: ReactNode[] = [];
  for (let i = range.start; i < range.end; i++) rows.push(renderRow(i, { id: `${base}-row-${i}`, active: i === active }));

  return (
    <div
      ref={ref}
      className={`vlist ${className}`}
      style={height !== undefined ? { height } : undefined}
      role={role}
      aria-label={label}
      aria-activedescendant={active !== undefined && active >= 0 && active < count ? `${base}-row-${active}` : undefined}
      tabIndex={0}
      onScroll={(e) => setScrollTop(e.currentTarget.scrollTop)}
      onKeyDown={onKeyDown}
      data-testid={testId}
    >
      <div className="vlist-spacer" style={{ height: range.total }}>
        <div className="vlist-window" style={{ transform: `translateY(${range.offset}px)` }}>
          {rows}
        </div>
      </div>
    </div>
  );
}
