// The kernel's steps beside the drawing: for the container or image on
// screen (or everything), each operation and under it what the engine and
// its launcher did to the kernel, with the real values and the command that
// would do the same by hand. It reads only the engine's event stream, so
// what it shows is what `strata events --format json` shows.

import { useEffect, useMemo, useRef, useState } from 'react';
import { useKernelLog } from '../../data/kernelLog';
import { useQuery } from '../../data/useQuery';
import { CopyButton } from '../../components/CommandLine';
import { keySteps, rowsFor, type StepRow } from '../../model/kernelSteps';
import type { Route } from '../../app/routes';

function clock(nanos: number): string {
  const d = new Date(nanos / 1e6);
  return `${d.toLocaleTimeString([], { hour12: false })}.${String(d.getMilliseconds()).padStart(3, '0')}`;
}

/** The object the view shows, by the id its events carry. */
function useFocus(route: Route): { id?: string; what: string } {
  const container = useQuery('container.inspect', route.view === 'container' ? { id: route.id } : null);
  const image = useQuery('image.inspect', route.view === 'image' ? { ref: route.id } : null);
  if (route.view === 'container') return { id: container.data?.Id, what: `container ${container.data?.Name.replace(/^\//, '') ?? route.id}` };
  if (route.view === 'image') return { id: image.data?.Id, what: `image ${route.id}` };
  return { what: '' };
}

export function KernelTimeline({ route, onClose }: { route: Route; onClose(): void }) {
  const rows = useKernelLog();
  const focus = useFocus(route);
  const [everything, setEverything] = useState(false);
  const shown = useMemo(() => rowsFor(rows, everything ? undefined : focus.id), [rows, everything, focus.id]);
  const list = useRef<HTMLOListElement>(null);
  const pinned = useRef(true);

  // Follow the newest step, unless the reader scrolled up to read an older one.
  useEffect(() => {
    const el = list.current;
    if (el && pinned.current) el.scrollTop = el.scrollHeight;
  }, [shown]);

  return (
    <section className="timeline" aria-labelledby="timeline-title" data-testid="kernel-timeline">
      <header className="timeline-head">
        <h2 id="timeline-title">The kernel’s steps</h2>
        <button type="button" className="btn btn-quiet btn-small" onClick={onClose} aria-label="Close the kernel’s steps">
          ✕
        </button>
      </header>
      <p className="timeline-scope">
        {focus.id && (
          <label>
            <input type="checkbox" checked={!everything} onChange={(e) => setEverything(!e.target.checked)} /> only {focus.what}
          </label>
        )}
        <span className="timeline-count">{shown.filter((r) => r.kind === 'step').length} steps</span>
      </p>
      {shown.length === 0 ? (
        <p className="note timeline-empty">
          Nothing yet{focus.id && !everything ? ` for ${focus.what}` : ''}: start, stop, kill, pause, commit or save something and the kernel’s steps appear here as they happen.
        </p>
      ) : (
        <ol
          className="timeline-list"
          ref={list}
          onScroll={(e) => {
            const el = e.currentTarget;
            pinned.current = el.scrollHeight - el.scrollTop - el.clientHeight < 24;
          }}
        >
          {shown.map((r) =>
            r.kind === 'operation' ? (
              <li key={r.key} className="timeline-op" data-operation={r.title}>
                <span className="timeline-time">{clock(r.time)}</span> <strong>{r.title}</strong> <code>{r.name}</code>
              </li>
            ) : (
              <Step key={r.key} row={r} />
            ),
          )}
        </ol>
      )}
    </section>
  );
}

function Step({ row }: { row: StepRow }) {
  return (
    <li className={`timeline-step ${keySteps.has(row.step) ? 'is-key' : ''}`} data-step={row.step}>
      <details>
        <summary>
          <span className="timeline-time">{clock(row.time)}</span> <span className="timeline-words">{row.words}</span>{' '}
          <span className="timeline-headline">{row.headline}</span>
        </summary>
        <dl className="timeline-values">
          {row.values.map(([k, v]) => (
            <div key={k}>
              <dt>{k}</dt>
              <dd>
                <code>{v}</code>
              </dd>
            </div>
          ))}
        </dl>
      </details>
      {row.command && (
        <p className="timeline-command">
          <span className="timeline-by-hand">by hand:</span> <code data-testid="kernel-command">{row.command}</code>
          <CopyButton text={row.command} label="Copy the shell command" />
        </p>
      )}
    </li>
  );
}
