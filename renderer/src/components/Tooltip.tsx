// A tooltip that behaves: it shows while the pointer rests on its anchor or
// the keyboard focuses it, goes away the moment the anchor is pressed (and
// stays away until the pointer comes back), on Escape, on scroll and on blur,
// and is placed inside the window: above the anchor when there is room,
// otherwise below, shifted sideways so no edge cuts it. Its text is always in
// the page (hidden when closed), so the anchor's aria-describedby reads it.

import { useCallback, useEffect, useId, useLayoutEffect, useRef, useState, type CSSProperties, type ReactNode } from 'react';
import { placeBeside, type Placement } from '../model/placement';

export interface AnchorProps {
  'aria-describedby'?: string;
  onPointerEnter(): void;
  onPointerLeave(): void;
  onPointerDown(): void;
  onFocus(e: { currentTarget: Element }): void;
  onBlur(): void;
}

/**
 * The tooltip's state and the props its anchor needs. `children` is the tip's
 * content; undefined means no tip at all.
 */
export function useTooltip(content: ReactNode | undefined, className = ''): { anchor: AnchorProps; tip: ReactNode; anchorRef: (el: HTMLElement | null) => void } {
  const id = useId();
  const [open, setOpen] = useState(false);
  const [place, setPlace] = useState<Placement | null>(null);
  const anchorEl = useRef<HTMLElement | null>(null);
  const tipEl = useRef<HTMLSpanElement>(null);
  // Pressed: hidden until the pointer leaves and comes back.
  const pressed = useRef(false);

  const hide = useCallback(() => {
    setOpen(false);
    setPlace(null);
  }, []);

  useLayoutEffect(() => {
    if (!open || !anchorEl.current || !tipEl.current) return;
    const a = anchorEl.current.getBoundingClientRect();
    const t = tipEl.current.getBoundingClientRect();
    setPlace(placeBeside(a, t, { width: window.innerWidth, height: window.innerHeight }));
  }, [open, content]);

  useEffect(() => {
    if (!open) return;
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') hide();
    };
    // Anything scrolling moves the anchor away from where the tip was placed.
    window.addEventListener('keydown', onKey, true);
    window.addEventListener('scroll', hide, true);
    window.addEventListener('resize', hide);
    return () => {
      window.removeEventListener('keydown', onKey, true);
      window.removeEventListener('scroll', hide, true);
      window.removeEventListener('resize', hide);
    };
  }, [open, hide]);

  const has = content !== undefined && content !== null && content !== '';
  const anchor: AnchorProps = {
    'aria-describedby': has ? id : undefined,
    onPointerEnter: () => {
      if (has && !pressed.current) setOpen(true);
    },
    onPointerLeave: () => {
      pressed.current = false;
      hide();
    },
    onPointerDown: () => {
      pressed.current = true;
      hide();
    },
    // Only keyboard focus shows it: a click focuses too, and must not bring it back.
    onFocus: (e) => {
      if (has && !pressed.current && e.currentTarget.matches(':focus-visible')) setOpen(true);
    },
    onBlur: hide,
  };
  const style: CSSProperties = place ? { left: place.left, top: place.top } : { left: 0, top: 0, visibility: 'hidden' };
  const tip = has ? (
    <span role="tooltip" id={id} ref={tipEl} className={`tip ${className} ${place ? `tip-${place.side}` : ''}`} hidden={!open} style={style}>
      {content}
    </span>
  ) : null;
  return {
    anchor,
    tip,
    anchorRef: (el) => {
      anchorEl.current = el;
    },
  };
}
