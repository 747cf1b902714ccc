// The ring around the part of the drawing a step changed. It follows the
// element as the view lays itself out (data arrives, panels grow), and
// brings it into view once when the step starts pointing at it.

import { useEffect, useState } from 'react';

interface Box {
  top: number;
  left: number;
  width: number;
  height: number;
}

export function Pointer({ selector, label }: { selector: string; label: string }) {
  const [box, setBox] = useState<Box | null>(null);
  useEffect(() => {
    let scrolled = false;
    let frame = 0;
    const track = () => {
      const el = document.querySelector(selector);
      if (el) {
        if (!scrolled) {
          el.scrollIntoView({ block: 'nearest', inline: 'nearest' });
          scrolled = true;
        }
        const r = el.getBoundingClientRect();
        setBox((b) => (b && b.top === r.top && b.left === r.left && b.width === r.width && b.height === r.height ? b : { top: r.top, left: r.left, width: r.width, height: r.height }));
      } else setBox(null);
      frame = window.setTimeout(track, 250);
    };
    track();
    return () => window.clearTimeout(frame);
  }, [selector]);
  if (!box) return null;
  const pad = 6;
  return (
    <div
      className="tour-pointer"
      data-testid="tour-pointer"
      data-target={selector}
      aria-hidden="true"
      style={{ top: box.top - pad, left: box.left - pad, width: box.width + 2 * pad, height: box.height + 2 * pad }}
    >
      <span className="tour-pointer-label">{label}</span>
    </div>
  );
}
