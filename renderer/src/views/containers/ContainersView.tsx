// `strata ps` and `strata ps -a`: the containers, their state and status,
// updated from the engine's events as they change (from here or a terminal).

import { useState } from 'react';
import type { ContainerSummary } from '../../../../engine/api';
import { ActionButton } from '../../components/ActionButton';
import { Icon } from '../../components/Icon';
import { CommandLine } from '../../components/CommandLine';
import { StateBadge } from '../../components/Marks';
import { Empty, ErrorNote, Loading } from '../../components/Notes';
import { useQuery } from '../../data/useQuery';
import { commands } from '../../model/commands';
import { ago, shortId } from '../../model/format';
import { formatRoute } from '../../app/routes';
import { useNavigate } from '../../app/navigation';
import { CreateDialog } from './CreateDialog';

export function ContainersView({ all }: { all: boolean }) {
  const go = useNavigate();
  // Status words ("Up 3 seconds") age without events: re-read them now and then too.
  const list = useQuery('container.list', { all }, { refreshOn: (m) => m.type === 'container', pollMs: 15_000 });
  const [dialog, setDialog] = useState<'create' | 'run' | null>(null);

  return (
    <div className="view">
      <header className="view-head">
        <div>
          <h1>Containers</h1>
          <p className="lead">An image’s read-only layers plus one writable layer; a running one adds a process space.</p>
        </div>
        <div className="head-actions">
          <ActionButton label="Run…" variant="primary" icon={<Icon name="start" />} onPress={() => setDialog('run')} command="strata run -d -it IMAGE" />
          <ActionButton label="Create…" icon={<Icon name="create" />} onPress={() => setDialog('create')} command="strata create IMAGE" />
        </div>
      </header>

      <div className="toolbar">
        <div className="segmented" role="group" aria-label="Which containers">
          <button type="button" aria-pressed={!all} onClick={() => go({ view: 'containers', all: false })}>
            Running
          </button>
          <button type="button" aria-pressed={all} onClick={() => go({ view: 'containers', all: true })}>
            All
          </button>
        </div>
        <CommandLine command={commands.ps(all)} />
      </div>

      {list.error && <ErrorNote error={list.error} what="containers" />}
      {!list.data && !list.error && <Loading what="containers" />}
      {list.data && list.data.length === 0 && (
        <Empty>
          <p>{all ? 'No containers yet.' : 'No container is running.'}</p>
          <p>
            Press <strong>Run…</strong> to start one from an image.
          </p>
        </Empty>
      )}
      {list.data && list.data.length > 0 && <ContainerTable containers={list.data} />}
      {dialog && <CreateDialog mode={dialog} onClose={() => setDialog(null)} />}
    </div>
  );
}

function ContainerTable({ containers }: { containers: ContainerSummary[] }) {
  const go = useNavigate();
  return (
    <div className="table-wrap">
      <table className="table" data-testid="container-list">
        <thead>
          <tr>
            <th scope="col">State</th>
            <th scope="col">Name</th>
            <th scope="col">Container ID</th>
            <th scope="col">Image</th>
            <th scope="col">Command</th>
            <th scope="col">Created</th>
            <th scope="col">Status</th>
          </tr>
        </thead>
        <tbody>
          {containers.map((c) => {
            const route = { view: 'container' as const, id: c.id, tab: 'files' as const };
            return (
              <tr key={c.id} className="row-link" onClick={() => go(route)} data-state={c.state}>
                <td>
                  <StateBadge state={c.state} />
                </td>
                <th scope="row">
                  <a
                    href={formatRoute(route)}
                    onClick={(e) => {
                      e.preventDefault();
                      e.stopPropagation();
                      go(route);
                    }}
                  >
                    {c.names[0]}
                  </a>
                </th>
                <td>
                  <code>{shortId(c.id)}</code>
                </td>
                <td>{c.image}</td>
                <td>
                  <code className="clip" title={c.command}>
                    {c.command}
                  </code>
                </td>
                <td className="nowrap">{ago(c.created)}</td>
                <td className="nowrap">{c.status}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
