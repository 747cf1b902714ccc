// The laser pointer: a bright dot that follows the mouse (or a presenter's
// pen) with a short fading trail, so a room can follow what the trainer
// points at on the projector. It never takes a click.

import { useEffect, useRef } from 'react';

const trail = 8;

export function Laser() {
  const dots = useRef<(HTMLSpanElement | null)[]>([]);
  useEffect(() => {
    const points: { x: number; y: number }[] = [];
    const onMove = (e: PointerEvent) => {
      points.unshift({ x: e.clientX, y: e.clientY });
      points.length = Math.min(points.length, trail);
      dots.current.forEach((d, i) => {
        const p = points[i];
        if (!d) return;
        d.style.opacity = p ? String(1 - i / trail) : '0';
        if (p) d.style.transform = `translate(${p.x}px, ${p.y}px)`;
      });
    };
    window.addEventListener('pointermove', onMove);
    return () => window.removeEventListener('pointermove', onMove);
  }, []);
  return (
    <div className="laser" aria-hidden="true" data-testid="laser">
      {Array.from({ length: trail }, (_, i) => (
        <span key={i} ref={(el) => {
            dots.current[i] = el;
          }} className={i === 0 ? 'laser-dot laser-head' : 'laser-dot'} style={{ opacity: 0 }} />
      ))}
    </div>
  );
}
