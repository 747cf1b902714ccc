// What the engine did since this view opened, newest first, in `docker
// events` words: with the Docker API service running, a `docker run --rm`
// in a terminal shows here as create, attach, start, die, destroy — each
// command of Docker's tools as the engine's operations on layers and
// processes.

import { useRef, useState } from 'react';
import type { EngineEvent } from '../../../../engine/api';
import { useEvents } from '../../data/EngineContext';

type Shown = Exclude<EngineEvent, { type: 'kernel' }>;

const keep = 12;

function subject(e: Shown): string {
  const name = e.attributes.name;
  if (e.type === 'container') return `${name ?? e.id.slice(0, 12)}${e.attributes.image ? ` (${e.attributes.image})` : ''}`;
  return name ?? e.id.replace(/^sha256:/, '').slice(0, 12);
}

export function ActivityFeed() {
  const [events, setEvents] = useState<(Shown & { key: number })[]>([]);
  const next = useRef(0);
  useEvents((m) => {
    // Kernel steps and pull progress are many: the teaching views draw those.
    if (m.type === 'resync' || m.type === 'kernel' || m.type === 'pull' || m.type === 'push') return;
    const key = next.current++;
    setEvents((list) => [{ ...m, key }, ...list].slice(0, keep));
  });
  return (
    <div className="activity">
      <h3 id="activity-title">As it happens</h3>
      <p className="panel-lead">The engine&apos;s events since this page opened, whoever caused them: the app, <code>strata</code> or Docker&apos;s tools.</p>
      {events.length === 0 ? (
        <p className="empty">Nothing yet. Run something, here or in a terminal.</p>
      ) : (
        <ol className="activity-list" aria-labelledby="activity-title">
          {events.map((e) => (
            <li key={e.key}>
              <time>{new Date(e.time / 1e6).toLocaleTimeString([], { hourCycle: 'h23' })}</time> <span className="activity-type">{e.type}</span>{' '}
              <strong>{e.action}</strong> <code>{subject(e)}</code>
            </li>
          ))}
        </ol>
      )}
    </div>
  );
}
