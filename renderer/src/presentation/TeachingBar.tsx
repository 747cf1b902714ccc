// The teacher's controls, under the sections in every view: the tour, the kernel's
// steps beside the drawing, presentation mode (large type, high contrast,
// a laser pointer) and the current drawing as SVG or PNG for slides. Keys
// (outside fields): P presents, L the laser, K the kernel's steps.

import { useEffect, useState } from 'react';
import { useTour } from '../tour/TourContext';
import { currentDrawing, downloadBlob, drawingFileName, drawingToSvg, svgToPng } from './exportDrawing';
import { Laser } from './Laser';
import { isTyping } from '../app/keyboard';

export interface TeachingState {
  timeline: boolean;
  setTimeline(open: boolean): void;
}

export function TeachingBar({ timeline, setTimeline }: TeachingState) {
  const tour = useTour();
  const [presenting, setPresenting] = useState(false);
  const [laser, setLaser] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);

  useEffect(() => {
    document.documentElement.classList.toggle('presenting', presenting);
    if (!presenting) setLaser(false);
  }, [presenting]);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (isTyping(e.target) || e.altKey || e.ctrlKey || e.metaKey) return;
      if (e.key === 'p' || e.key === 'P') setPresenting((p) => !p);
      else if ((e.key === 'l' || e.key === 'L') && presenting) setLaser((l) => !l);
      else if (e.key === 'k' || e.key === 'K') setTimeline(!timeline);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [presenting, timeline, setTimeline]);

  const exportAs = async (ext: 'svg' | 'png') => {
    setProblem(null);
    const el = currentDrawing();
    if (!el) return setProblem('No drawing on screen to export');
    const title = document.querySelector('main h1')?.textContent?.trim() || 'drawing';
    const svg = drawingToSvg(el, `Strata: ${title}`);
    try {
      if (ext === 'svg') downloadBlob(new Blob([svg], { type: 'image/svg+xml' }), drawingFileName(title, 'svg'));
      else {
        const r = el.getBoundingClientRect();
        downloadBlob(await svgToPng(svg, r.width, r.height), drawingFileName(title, 'png'));
      }
    } catch (e) {
      setProblem(e instanceof Error ? e.message : String(e));
    }
  };

  return (
    <div className="teachbar" role="toolbar" aria-label="Teaching">
      <button type="button" className={`btn btn-small ${tour.open ? 'is-on' : ''}`} aria-pressed={tour.open} onClick={() => (tour.open ? tour.leave() : tour.start())}>
        Tour
      </button>
      <button type="button" className="btn btn-small" aria-pressed={timeline} onClick={() => setTimeline(!timeline)} title="The kernel’s steps (K)">
        Kernel steps
      </button>
      <button type="button" className="btn btn-small" aria-pressed={presenting} onClick={() => setPresenting(!presenting)} title="Large type, high contrast (P)">
        Present
      </button>
      {presenting && (
        <button type="button" className="btn btn-small" aria-pressed={laser} onClick={() => setLaser(!laser)} title="Laser pointer (L)">
          Laser
        </button>
      )}
      <button type="button" className="btn btn-small" onClick={() => void exportAs('svg')} title="The drawing on screen, as SVG">
        Export SVG
      </button>
      <button type="button" className="btn btn-small" onClick={() => void exportAs('png')} title="The drawing on screen, as PNG">
        Export PNG
      </button>
      {problem && (
        <span className="teachbar-problem" role="alert">
          {problem}
        </span>
      )}
      {laser && <Laser />}
    </div>
  );
}
