// A layer stack, bottom to top: each read-only layer a slab with the
// instruction that made it, its size and digest, its parent pointer drawn in
// the gutter; metadata-only history steps as thin markers between them; a
// container's writable layer hatched on top. Positions come from
// model/stackLayout.ts, bars linear in bytes; the slabs are HTML so long
// instructions cut cleanly, and the whole stack is one listbox: arrow keys
// move between layers, the selected layer is what the panels beside it show.

import { useEffect, useMemo, useRef, type KeyboardEvent, type ReactNode } from 'react';
import type { LayerRef, StackEntry } from '../../../engine/api';
import { instruction, layerTitle, shortDigest, size } from '../model/format';
import { layoutStack, sizeBarWidth } from '../model/stackLayout';

export interface WritableInfo {
  added: number;
  changed: number;
  deleted: number;
  /** Set while the container runs: its writes land here now. */
  live: boolean;
}

export interface StackDiagramProps {
  entries: readonly StackEntry[];
  writable?: WritableInfo;
  selected: LayerRef | null;
  onSelect(layer: LayerRef): void;
  label: string;
  /** Smaller slabs, for the container view where the process space sits above. */
  compact?: boolean;
  /** Drawn above the top slab, in the same column (the process space). */
  above?: ReactNode;
  /** Scroll inside its own box (tall stacks), keeping the selected layer in view. */
  scrollable?: boolean;
  /** A mark for a history entry (by its index, bottom first), shown on its slab or marker: the Build view's "cache". */
  badge?(entryIndex: number): ReactNode;
}

const gutter = 46;
const barWidth = 96;

export function StackDiagram({ entries, writable, selected, onSelect, label, compact, above, scrollable, badge }: StackDiagramProps) {
  const layout = useMemo(
    () =>
      layoutStack(entries, {
        writable: !!writable,
        layerHeight: compact ? 60 : 70,
        markerHeight: compact ? 24 : 28,
        rwHeight: compact ? 70 : 78,
      }),
    [entries, writable, compact],
  );
  const largest = useMemo(() => Math.max(1, ...entries.map((e) => e.size)), [entries]);
  const bar = (bytes: number) => sizeBarWidth(bytes, largest, barWidth, 2);
  // What a person can pick: the layers with files of their own to show.
  const slabs = layout.rows.filter((r) => r.kind === 'layer' || r.kind === 'rw');
  const refs = useRef(new Map<string, HTMLDivElement>());
  const top = slabs[0]?.layer ?? null;
  const current = selected ?? top;
  const scroller = useRef<HTMLDivElement>(null);

  // Keep the selected slab in view inside the stack's own box (not by scrolling the page).
  useEffect(() => {
    const box = scroller.current;
    const row = slabs.find((r) => r.layer === current);
    if (!box || !row) return;
    if (row.y < box.scrollTop || row.y + row.height > box.scrollTop + box.clientHeight) {
      box.scrollTop = Math.max(0, row.y - (box.clientHeight - row.height) / 2);
    }
  }, [current, layout]);

  const onKey = (e: KeyboardEvent) => {
    const i = slabs.findIndex((r) => r.layer === current);
    let next = i;
    if (e.key === 'ArrowUp') next = Math.max(0, i - 1);
    else if (e.key === 'ArrowDown') next = Math.min(slabs.length - 1, i + 1);
    else if (e.key === 'Home') next = slabs.length - 1; // Home: the base layer, where the stack starts
    else if (e.key === 'End') next = 0;
    else return;
    e.preventDefault();
    const r = slabs[next];
    if (!r || r.layer === null) return;
    onSelect(r.layer);
    refs.current.get(r.key)?.focus();
  };

  return (
    <div className={`stack ${compact ? 'stack-compact' : ''}`}>
      {above}
      <div ref={scroller} className={scrollable ? 'stack-scroll' : undefined}>
      <div className="stack-canvas" style={{ height: layout.height }}>
        <svg className="stack-svg" width="100%" height={layout.height} aria-hidden="true">
          <defs>
            <pattern id="hatch-rw" width="8" height="8" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">
              <rect width="8" height="8" className="hatch-rw-bg" />
              <line x1="0" y1="0" x2="0" y2="8" className="hatch-rw-line" />
            </pattern>
            <pattern id="hatch-waste" width="5" height="5" patternUnits="userSpaceOnUse" patternTransform="rotate(-45)">
              <rect width="5" height="5" className="hatch-waste-bg" />
              <line x1="0" y1="0" x2="0" y2="5" className="hatch-waste-line" />
            </pattern>
            <marker id="parent-arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="6" markerHeight="6" orient="auto">
              <path d="M0,0 L10,5 L0,10 z" className="pointer-head" />
            </marker>
          </defs>
          {layout.pointers.map((p) => {
            const sel = p.from === current;
            const bend = 10;
            return (
              <g key={`${p.from}`} className={`pointer ${sel ? 'pointer-selected' : ''}`}>
                <path d={`M ${gutter - 2},${p.y1} C ${bend},${p.y1} ${bend},${p.y2} ${gutter - 4},${p.y2}`} markerEnd="url(#parent-arrow)" />
                {sel && (
                  <text x={4} y={(p.y1 + p.y2) / 2} className="pointer-label" transform={`rotate(-90 4 ${(p.y1 + p.y2) / 2})`} textAnchor="middle" dy="0.9em">
                    parent
                  </text>
                )}
              </g>
            );
          })}
        </svg>
        <div role="listbox" aria-label={label} className="stack-rows" onKeyDown={onKey}>
          {layout.rows.map((r) => {
            const style = { top: r.y, height: r.height, left: gutter };
            if (r.kind === 'init') {
              return (
                <div
                  key={r.key}
                  className="slab slab-init"
                  style={style}
                  data-testid="init-layer"
                  title="The container's init layer (Docker's <id>-init): empty files and directories the launcher mounts /etc/hostname, /etc/hosts, /etc/resolv.conf, /dev, /proc and /sys onto"
                >
                  <span className="meta-glyph" aria-hidden="true">
                    ▭
                  </span>
                  <span className="meta-text">init layer: mount points</span>
                  <span className="meta-note">/etc/hostname, hosts, resolv.conf</span>
                </div>
              );
            }
            if (r.kind === 'metadata') {
              const e = entries[r.entryIndex];
              return (
                <div key={r.key} className="slab slab-meta" style={style} title={e.createdBy}>
                  <span className="meta-glyph" aria-hidden="true">
                    ◇
                  </span>
                  <span className="meta-text">{instruction(e.createdBy) || '(no instruction)'}</span>
                  {badge?.(r.entryIndex)}
                  <span className="meta-note">metadata only · no layer</span>
                </div>
              );
            }
            const isSel = r.layer === current;
            const common = {
              role: 'option' as const,
              'aria-selected': isSel,
              tabIndex: isSel ? 0 : -1,
              ref: (el: HTMLDivElement | null) => {
                if (el) refs.current.set(r.key, el);
                else refs.current.delete(r.key);
              },
              onClick: () => r.layer !== null && onSelect(r.layer),
              style,
            };
            if (r.kind === 'rw') {
              const w = writable!;
              return (
                <div key={r.key} {...common} className={`slab slab-rw ${isSel ? 'is-selected' : ''} ${w.live ? 'is-live' : ''}`} data-testid="layer-rw">
                  <svg className="slab-bg" width="100%" height="100%" aria-hidden="true" preserveAspectRatio="none">
                    <rect width="100%" height="100%" fill="url(#hatch-rw)" />
                  </svg>
                  <span className="slab-index" aria-hidden="true">
                    RW
                  </span>
                  <span className="slab-main">
                    <span className="slab-title">
                      Writable layer <span className="slab-note">{w.live ? '· writes land here now' : '· this container’s own'}</span>
                    </span>
                    <span className="slab-sub">
                      <span className="mark-inline mark-add">+{w.added} added</span>
                      <span className="mark-inline mark-mod">~{w.changed} changed</span>
                      <span className="mark-inline mark-del">−{w.deleted} deleted</span>
                    </span>
                  </span>
                </div>
              );
            }
            const e = entries[r.entryIndex];
            const wasted = e.wasted ?? 0;
            const named = layerTitle(e);
            return (
              <div
                key={r.key}
                {...common}
                className={`slab slab-layer ${isSel ? 'is-selected' : ''}`}
                data-testid={`layer-${r.layer}`}
              >
                <span className="slab-index">
                  <span className="sr-only">Layer </span>L{r.layer}
                </span>
                <span className="slab-main">
                  <span className="slab-title" title={e.createdBy}>
                    {named.title || <em>no instruction recorded</em>}
                  </span>
                  <span className="slab-sub">
                    <strong>{size(e.size)}</strong>
                    {e.diffId && <code title={`diff id ${e.diffId}`}>{shortDigest(e.diffId)}</code>}
                    {named.by && <code className="slab-by" title={e.createdBy}>{named.by}</code>}
                    {badge?.(r.entryIndex)}
                  </span>
                </span>
                <span className="slab-side" aria-hidden="true">
                  <svg width={barWidth} height="12" className="sizebar">
                    <rect width={barWidth} height="12" className="sizebar-track" rx="2" />
                    <rect width={bar(e.size)} height="12" className="sizebar-fill" rx="2" />
                    {wasted > 0 && <rect x={bar(e.size) - bar(wasted)} width={bar(wasted)} height="12" fill="url(#hatch-waste)" />}
                  </svg>
                  {wasted > 0 && <span className="waste-note">{size(wasted)} wasted</span>}
                </span>
              </div>
            );
          })}
        </div>
      </div>
      </div>
      <p className="stack-base" aria-hidden="true">
        scratch: the empty base
      </p>
    </div>
  );
}
