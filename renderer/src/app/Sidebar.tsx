// The sidebar: the sections, how many of each there are, and whether the
// app is following the engine live.

import type { ReactNode } from 'react';
import { formatRoute, type Route } from './routes';
import { sections } from './navigation';
import { useHubStatus } from '../data/EngineContext';
import { useQuery } from '../data/useQuery';
import { affectsImages, isEngineChange } from '../data/events';
import { useBuildSession } from '../data/buildSession';
import { currentStep } from '../model/buildProgress';

/** `children`: what sits under the sections (the teacher's controls). */
export function Sidebar({ route, go, children }: { route: Route; go(r: Route): void; children?: ReactNode }) {
  const status = useHubStatus();
  const info = useQuery('system.info', {}, { refreshOn: isEngineChange });
  // The same list the Images view opens on (top-level images), so the two numbers agree.
  const images = useQuery('image.list', { all: false }, { refreshOn: affectsImages });
  const containers = useQuery('container.list', { all: true }, { refreshOn: (m) => m.type === 'container' });
  const running = containers.data?.filter((c) => c.state === 'running' || c.state === 'paused').length;
  // A build keeps going while the person looks elsewhere: its step shows here.
  const build = useBuildSession().progress;
  const buildStep = build.phase === 'running' ? currentStep(build) : undefined;
  const counts: Record<string, string | undefined> = {
    containers: containers.data ? `${running} / ${containers.data.length}` : undefined,
    images: images.data ? String(images.data.length) : undefined,
    build: build.phase === 'running' ? (buildStep ? `step ${buildStep.step}/${build.total}` : 'starting') : undefined,
  };
  return (
    <nav className="sidebar" aria-label="Sections">
      <a className="brand" href={formatRoute({ view: 'containers', all: true })}>
        <svg viewBox="0 0 32 32" width="30" height="30" aria-hidden="true" className="brand-mark">
          <rect x="4" y="21" width="24" height="6" rx="1.5" className="bm-ro" />
          <rect x="4" y="13" width="24" height="6" rx="1.5" className="bm-ro2" />
          <rect x="4" y="5" width="24" height="6" rx="1.5" className="bm-rw" />
        </svg>
        <span>Strata</span>
      </a>
      <ul className="nav">
        {sections.map((s) => {
          const current = s.owns.includes(route.view);
          return (
            <li key={s.id}>
              <a
                href={formatRoute(s.route)}
                aria-current={current ? 'page' : undefined}
                className="nav-link"
                onClick={(e) => {
                  e.preventDefault();
                  go(s.route);
                }}
              >
                <span>{s.label}</span>
                {counts[s.id] !== undefined && <span className="nav-count">{counts[s.id]}</span>}
              </a>
            </li>
          );
        })}
      </ul>
      {children}
      <div className="sidebar-foot">
        <p className={`live live-${status}`} role="status">
          <span className="live-dot" aria-hidden="true" />
          {status === 'live' ? 'Live: following engine events' : status === 'lost' ? 'Connection lost: reconnecting…' : 'Connecting…'}
        </p>
        {info.data && (
          <dl className="engine-facts">
            <dt>Mode</dt>
            <dd data-testid="engine-mode">{info.data.mode === 'rootless' ? 'Rootless (your user namespace)' : 'Root'}</dd>
            <dt>Engine root</dt>
            <dd>
              <code>{info.data.root}</code>
            </dd>
            <dt>Kernel</dt>
            <dd>{info.data.kernel}</dd>
            <dt>Freezer</dt>
            <dd>{info.data.cgroupFreezer === 'none' ? 'none (no delegated cgroup)' : `cgroup ${info.data.cgroupFreezer}`}</dd>
          </dl>
        )}
      </div>
    </nav>
  );
}
