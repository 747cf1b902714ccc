// The "⋯" button of a row or a header: the actions that do not fit beside
// it, in a menu with the ARIA menu pattern (arrow keys, Home/End, Escape
// gives focus back to the button, a click outside closes it). The menu is
// placed inside the window (below the button, or above near the bottom). An
// item that cannot be used now stays in the list, greyed, with its reason
// written under it; hovering or focusing an item previews its command in the
// command strip, as every button of the app does. The menu follows its button
// when something scrolls, and closes once the button is out of sight.

import { useCallback, useEffect, useId, useLayoutEffect, useRef, useState, type CSSProperties, type KeyboardEvent } from 'react';
import { useActions } from '../data/actions';
import { placeBeside, type Placement } from '../model/placement';

export interface MenuItem {
  label: string;
  onSelect(): void;
  /** The `strata` command it equals. */
  command?: string;
  /** Why it cannot be used now; the item is then disabled. */
  disabledReason?: string;
  danger?: boolean;
}

export function OverflowMenu({ label, items, testId }: { label: string; items: readonly MenuItem[]; testId?: string }) {
  const { setPreview } = useActions();
  const [open, setOpen] = useState(false);
  const [placement, setPlacement] = useState<Placement | null>(null);
  const menuId = useId();
  const button = useRef<HTMLButtonElement>(null);
  const menu = useRef<HTMLDivElement>(null);
  const itemEls = useRef<Array<HTMLButtonElement | null>>([]);

  const close = (refocus: boolean) => {
    setOpen(false);
    setPlacement(null);
    setPreview(null);
    if (refocus) button.current?.focus({ preventScroll: true });
  };

  // Placed beside the button, and again whenever something scrolls or the window changes size, so the
  // menu follows its button; once the button is out of sight, the menu closes.
  const place = useCallback(() => {
    if (!button.current || !menu.current) return;
    const a = button.current.getBoundingClientRect();
    const view = { width: window.innerWidth, height: window.innerHeight };
    if (a.bottom < 0 || a.top > view.height || a.right < 0 || a.left > view.width) {
      setOpen(false);
      setPlacement(null);
      return;
    }
    setPlacement(placeBeside(a, menu.current.getBoundingClientRect(), view, { prefer: 'below', align: 'end' }));
  }, []);
  useLayoutEffect(() => {
    if (open) place();
  }, [open, place]);

  // Once placed, the first item that can be used takes the focus (without scrolling anything: a scroll closes the menu).
  const placed = placement !== null;
  useEffect(() => {
    if (placed) itemEls.current.find((el) => el && el.getAttribute('aria-disabled') !== 'true')?.focus({ preventScroll: true });
  }, [placed]);

  useEffect(() => {
    if (!open) return;
    const outside = (e: PointerEvent) => {
      const t = e.target as Node;
      if (!menu.current?.contains(t) && !button.current?.contains(t)) close(false);
    };
    document.addEventListener('pointerdown', outside, true);
    window.addEventListener('resize', place);
    window.addEventListener('scroll', place, true);
    return () => {
      document.removeEventListener('pointerdown', outside, true);
      window.removeEventListener('resize', place);
      window.removeEventListener('scroll', place, true);
    };
    // close() only sets state and refs.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [open]);

  const onKey = (e: KeyboardEvent) => {
    const els = itemEls.current.filter((el): el is HTMLButtonElement => el !== null);
    const at = els.indexOf(document.activeElement as HTMLButtonElement);
    const move = (i: number) => {
      e.preventDefault();
      els[(i + els.length) % els.length]?.focus({ preventScroll: true });
    };
    if (e.key === 'ArrowDown') move(at + 1);
    else if (e.key === 'ArrowUp') move(at - 1);
    else if (e.key === 'Home') move(0);
    else if (e.key === 'End') move(els.length - 1);
    else if (e.key === 'Escape') {
      e.preventDefault();
      e.stopPropagation();
      close(true);
    } else if (e.key === 'Tab') close(false);
  };

  const style: CSSProperties = placement ? { left: placement.left, top: placement.top } : { left: 0, top: 0, visibility: 'hidden' };
  return (
    <span className="overflow" onClick={(e) => e.stopPropagation()}>
      <button
        ref={button}
        type="button"
        className="btn btn-quiet btn-small overflow-button"
        aria-label={label}
        aria-haspopup="menu"
        aria-expanded={open}
        aria-controls={open ? menuId : undefined}
        data-testid={testId}
        onClick={() => (open ? close(false) : setOpen(true))}
        onKeyDown={(e) => {
          if (e.key === 'ArrowDown' && !open) {
            e.preventDefault();
            setOpen(true);
          }
        }}
      >
        <svg viewBox="0 0 16 16" width="16" height="16" aria-hidden="true" className="overflow-dots">
          <circle cx="3" cy="8" r="1.6" />
          <circle cx="8" cy="8" r="1.6" />
          <circle cx="13" cy="8" r="1.6" />
        </svg>
      </button>
      {open && (
        <div ref={menu} role="menu" id={menuId} aria-label={label} className="menu" style={style} onKeyDown={onKey}>
          {items.map((item, i) => {
            const disabled = item.disabledReason !== undefined;
            return (
              <button
                key={item.label}
                ref={(el) => {
                  itemEls.current[i] = el;
                }}
                type="button"
                role="menuitem"
                tabIndex={-1}
                className={`menu-item ${item.danger ? 'menu-danger' : ''}`}
                aria-disabled={disabled || undefined}
                onPointerEnter={() => setPreview(item.command ?? null)}
                onFocus={() => setPreview(item.command ?? null)}
                onClick={() => {
                  if (disabled) return;
                  close(true);
                  item.onSelect();
                }}
              >
                <span className="menu-label">{item.label}</span>
                {disabled && <span className="menu-reason">{item.disabledReason}</span>}
              </button>
            );
          })}
        </div>
      )}
    </span>
  );
}
