// One container: the picture (its image's read-only layers, its writable
// layer, and while it runs its process space above), its lifecycle as a
// state diagram with the ten buttons, and the tabs that open each part.
// Everything follows the engine's events, so a `strata pause` typed in a
// terminal lights the diagram here at once.

import { lazy, Suspense, useMemo, useRef, useState } from 'react';
import type { ContainerState, EngineEvent, LayerRef } from '../../../../engine/api';
import { humanDuration } from '../../../../engine/humanize';
import { Tabs, type TabSpec } from '../../components/Tabs';
import { StackDiagram } from '../../components/StackDiagram';
import { StateBadge } from '../../components/Marks';
import { ErrorNote, Loading } from '../../components/Notes';
import { CommandLine } from '../../components/CommandLine';
import { useQuery } from '../../data/useQuery';
import { useEvents } from '../../data/EngineContext';
import { exitMeaning } from '../../model/signals';
import { pressed, watchEvent, type StopConfig, type StopWatch } from '../../model/stopWatch';
import { serves } from '../../data/capabilities';
import type { HubMessage } from '../../data/eventHub';
import { commands } from '../../model/commands';
import { openTransitions, type LifecycleAction } from '../../model/lifecycle';
import { shortId } from '../../model/format';
import { formatRoute, type ContainerTab } from '../../app/routes';
import { useNavigate } from '../../app/navigation';
import { LifecycleControls } from './LifecycleControls';
import { MountsBeside } from './MountsBeside';
import { ProcessSpace } from './ProcessSpace';
import { SignalPanel } from './SignalPanel';
import { StateDiagram } from './StateDiagram';
import { FilesTab } from './tabs/FilesTab';
import { LogsTab } from './tabs/LogsTab';
import { InspectTab } from './tabs/InspectTab';
import { SpecTab } from './tabs/SpecTab';
import { DiskTab } from './tabs/DiskTab';
import { ResourcesTab } from './tabs/ResourcesTab';
import { LiveWrites } from '../upper/LiveWrites';

// xterm.js is most of the bundle's weight: it loads when the Terminal tab first opens.
const TerminalTab = lazy(() => import('./tabs/TerminalTab').then((m) => ({ default: m.TerminalTab })));

const tabs: TabSpec<ContainerTab>[] = [
  { id: 'files', label: 'Files' },
  { id: 'logs', label: 'Logs' },
  { id: 'resources', label: 'Resources' },
  { id: 'terminal', label: 'Terminal' },
  { id: 'inspect', label: 'Inspect' },
  { id: 'spec', label: 'Runtime spec' },
  { id: 'disk', label: 'On disk' },
];

function statusLine(state: ContainerState, startedAt: string, finishedAt: string, exitCode: number): string {
  const since = (iso: string) => humanDuration(Math.max(0, Date.now() - Date.parse(iso)));
  switch (state) {
    case 'running':
      return `Up ${since(startedAt)}`;
    case 'paused':
      return `Up ${since(startedAt)} (Paused)`;
    case 'exited':
      return Date.parse(finishedAt) > 0 ? `Exited (${exitCode}) ${since(finishedAt)} ago` : `Exited (${exitCode})`;
    case 'created':
      return 'Created';
    default:
      return state;
  }
}

export function ContainerView({ id, tab }: { id: string; tab: ContainerTab }) {
  const go = useNavigate();
  // Events carry the full id; the route may hold a name or a prefix until inspect says which container it is.
  const fullId = useRef<string | undefined>(undefined);
  const mine = (m: HubMessage) => m.type === 'container' && (m.id === fullId.current || m.id.startsWith(id));
  const inspect = useQuery('container.inspect', { id }, { refreshOn: mine, pollMs: 10_000 });
  const c = inspect.data;
  fullId.current = c?.Id;
  const state = (c?.State.Status ?? 'created') as ContainerState;
  const running = state === 'running' || state === 'paused';
  const stack = useQuery('image.stack', c ? { ref: c.Image } : null, { refreshOn: (m) => m.type === 'image' });
  // The writable layer changes without events while processes write: re-read it often while it runs.
  const changes = useQuery('container.changes', c ? { id: c.Id } : null, { refreshOn: mine, pollMs: running ? 1000 : undefined });
  const [selected, setSelected] = useState<LayerRef>('rw');
  const [pointing, setPointing] = useState<LifecycleAction | null>(null);
  // A stop or kill in progress (from here or a terminal), from the engine's kill and die events.
  const stopConfig: StopConfig = { stopSignal: c?.Config.StopSignal, stopTimeout: c?.Config.StopTimeout };
  const configRef = useRef(stopConfig);
  configRef.current = stopConfig;
  const [watch, setWatch] = useState<StopWatch | null>(null);
  useEvents((m) => {
    if (mine(m)) setWatch((w) => watchEvent(w, m as EngineEvent, configRef.current));
  });

  const counts = useMemo(() => {
    const n = { added: 0, changed: 0, deleted: 0 };
    for (const ch of changes.data ?? []) {
      if (ch.kind === 'A') n.added++;
      else if (ch.kind === 'C') n.changed++;
      else n.deleted++;
    }
    return n;
  }, [changes.data]);

  const gone = inspect.error?.code === 'NotFound';
  if (inspect.error && (gone || !c)) {
    return (
      <div className="view">
        <header className="view-head">
          <h1>{gone ? 'Container removed' : 'Container'}</h1>
        </header>
        {gone ? (
          <p className="note">
            This container no longer exists: its writable layer was deleted (<code>strata rm</code>).{' '}
            <a href={formatRoute({ view: 'containers', all: true })}>Back to the containers</a>
          </p>
        ) : (
          <ErrorNote error={inspect.error} what="the container" />
        )}
      </div>
    );
  }
  if (!c) return <Loading what="the container" />;

  const name = c.Name.replace(/^\//, '');
  const open = openTransitions(state, shortId(c.Id), serves);
  const imageRef = c.Config.Image || c.Image;
  const command = [...(c.Config.Entrypoint ?? []), ...(c.Config.Cmd ?? [])].join(' ');

  return (
    <div className="view view-container">
      <header className="view-head">
        <div>
          <p className="crumbs">
            <a href={formatRoute({ view: 'containers', all: true })}>Containers</a> /
          </p>
          <h1>
            {name} <StateBadge state={state} testId="container-state" />
          </h1>
          <p className="facts">
            <span>
              ID <code>{shortId(c.Id)}</code>
            </span>
            <span>
              from image{' '}
              <a
                href={formatRoute({ view: 'image', id: c.Image, tab: 'files' })}
                onClick={(e) => {
                  e.preventDefault();
                  go({ view: 'image', id: c.Image, tab: 'files' });
                }}
              >
                {imageRef}
              </a>
            </span>
            <span>
              runs <code>{command || '(nothing)'}</code>
            </span>
            <span>{statusLine(state, c.State.StartedAt, c.State.FinishedAt, c.State.ExitCode)}</span>
            {state === 'exited' && c.State.ExitCode !== 0 && <span data-testid="exit-code-meaning">{exitMeaning(c.State.ExitCode)}</span>}
          </p>
        </div>
        {inspect.error && <ErrorNote error={inspect.error} what="the container’s latest state" />}
      </header>

      <div className="container-grid">
        <section className="panel picture" aria-labelledby="picture-title">
          <h2 id="picture-title">The picture</h2>
          <p className="panel-lead">
            {running
              ? 'Its image’s read-only layers, its own writable layer, and the process space running on top.'
              : 'Its image’s read-only layers plus its own writable layer. Nothing runs in it now.'}
          </p>
          {stack.error && <ErrorNote error={stack.error} what="the image’s layers" />}
          {stack.data ? (
            <>
            <ProcessSpace id={c.Id} state={state} />
            <div className="picture-row">
              <StackDiagram
                compact
                entries={stack.data.entries}
                writable={{ ...counts, live: state === 'running' }}
                selected={selected}
                onSelect={(l) => {
                  setSelected(l);
                  if (tab !== 'files') go({ view: 'container', id, tab: 'files' }, true);
                }}
                label="Layers of this container, top first"
              />
              <MountsBeside mounts={c.Mounts} />
            </div>
            <LiveWrites id={c.Id} entries={stack.data.entries} />
            </>
          ) : (
            !stack.error && <Loading what="the layers" />
          )}
        </section>

        <section className="panel lifecycle" aria-labelledby="lifecycle-heading">
          <h2 id="lifecycle-heading">Lifecycle</h2>
          <StateDiagram state={state} open={open} highlight={pointing} />
          {watch && <SignalPanel watch={watch} />}
          <LifecycleControls
            target={{ id: c.Id, name, state, image: imageRef }}
            onPoint={setPointing}
            onSignal={(kind) => setWatch(pressed(kind, configRef.current, Date.now()))}
          />
        </section>
      </div>

      <Tabs tabs={tabs} selected={tab} onSelect={(t) => go({ view: 'container', id, tab: t }, true)} label="Container details">
        {tab === 'files' && (
          <FilesTab
            id={c.Id}
            changes={changes.data ?? []}
            selected={selected}
            imageId={c.Image}
            onShowMerged={() => setSelected('rw')}
          />
        )}
        {tab === 'logs' && <LogsTab id={c.Id} startedAt={c.State.StartedAt} running={running} />}
        {tab === 'resources' && <ResourcesTab inspect={c} />}
        {tab === 'terminal' && (
          <Suspense fallback={<Loading what="the terminal" />}>
            <TerminalTab id={c.Id} state={state} />
          </Suspense>
        )}
        {tab === 'inspect' && (
          <>
            <CommandLine command={commands.inspect(c.Id)} />
            <InspectTab value={c} />
          </>
        )}
        {tab === 'spec' && <SpecTab id={c.Id} created={c.Created} />}
        {tab === 'disk' && <DiskTab inspect={c} entries={stack.data?.entries ?? []} />}
      </Tabs>
    </div>
  );
}
