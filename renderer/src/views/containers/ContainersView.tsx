// `strata ps` and `strata ps -a`: the containers, their state and status,
// updated from the engine's events as they change (from here or a terminal).

import { memo, useMemo, useState } from 'react';
import type { ContainerSummary } from '../../../../engine/api';
import { ActionButton } from '../../components/ActionButton';
import { Icon } from '../../components/Icon';
import { CommandLine } from '../../components/CommandLine';
import { StateBadge } from '../../components/Marks';
import { Empty, ErrorNote, Loading } from '../../components/Notes';
import { useRowWindow } from '../../components/useRowWindow';
import { useQuery } from '../../data/useQuery';
import { commands } from '../../model/commands';
import { ago, shortId } from '../../model/format';
import { formatRoute } from '../../app/routes';
import { useNavigate } from '../../app/navigation';
import { CreateDialog } from './CreateDialog';
import { ContainerRowActions } from './ContainerRowActions';
import { GetImage } from '../images/GetImage';
import { affectsImages } from '../../data/events';

export function ContainersView({ all }: { all: boolean }) {
  const go = useNavigate();
  // Status words ("Up 3 seconds") age without events: re-read them now and then too.
  const list = useQuery('container.list', { all }, { refreshOn: (m) => m.type === 'container', pollMs: 15_000 });
  // An empty store has nothing to run: the empty list then says how to get an image.
  const images = useQuery('image.list', { all: false }, { refreshOn: affectsImages });
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
          {images.data?.length === 0 ? (
            <GetImage onPulling={() => go({ view: 'images', all: false })} />
          ) : (
            <p>
              Press <strong>Run…</strong> to start one from an image.
            </p>
          )}
        </Empty>
      )}
      {list.data && list.data.length > 0 && <ContainerTable containers={list.data} />}
      {dialog && <CreateDialog mode={dialog} onClose={() => setDialog(null)} />}
    </div>
  );
}

const columns = 8;

/**
 * Only the rows in view are drawn (useRowWindow), so hundreds of containers
 * stay smooth to scroll and cheap to redraw at each event and refresh. A
 * collapsed row holding each column's longest text keeps the columns as wide
 * as the whole list needs, so they do not jump as rows come into view.
 */
function ContainerTable({ containers }: { containers: ContainerSummary[] }) {
  const rows = useRowWindow(containers.length);
  const sizing = useMemo(() => widest(containers), [containers]);
  return (
    <div className="table-wrap">
      <table className="table container-table" data-testid="container-list" aria-rowcount={containers.length + 1}>
        <thead>
          <tr aria-rowindex={1}>
            <th scope="col">State</th>
            <th scope="col">Name</th>
            <th scope="col">Container ID</th>
            <th scope="col">Image</th>
            <th scope="col" className="col-command">
              Command
            </th>
            <th scope="col" className="col-created">
              Created
            </th>
            <th scope="col">Status</th>
            <th scope="col" className="col-actions">
              Actions
            </th>
          </tr>
        </thead>
        <tbody ref={rows.body}>
          <ContainerRow c={sizing} />
          {rows.before > 0 && <SpaceRow height={rows.before} />}
          {containers.slice(rows.start, rows.end).map((c, i) => (
            <ContainerRow key={c.id} c={c} rowIndex={rows.start + i + 2} />
          ))}
          {rows.after > 0 && <SpaceRow height={rows.after} />}
        </tbody>
      </table>
    </div>
  );
}

/**
 * A container's row; without a rowIndex, the collapsed sizing row (hidden, inert).
 * Memoised: a row that stays in view while the list scrolls is not drawn again.
 */
const ContainerRow = memo(function ContainerRow({ c, rowIndex }: { c: ContainerSummary; rowIndex?: number }) {
  const go = useNavigate();
  const sizer = rowIndex === undefined;
  const route = { view: 'container' as const, id: c.id, tab: 'files' as const };
  const open = sizer ? undefined : () => go(route);
  return (
    <tr className={sizer ? 'row-sizer' : 'row-link'} onClick={open} data-state={sizer ? undefined : c.state} aria-rowindex={rowIndex} aria-hidden={sizer || undefined}>
      <td>
        <StateBadge state={c.state} />
      </td>
      <th scope={sizer ? undefined : 'row'}>
        <a
          href={sizer ? undefined : formatRoute(route)}
          onClick={(e) => {
            e.preventDefault();
            e.stopPropagation();
            open?.();
          }}
        >
          <span className="clip clip-short" title={c.names[0]}>
            {c.names[0]}
          </span>
        </a>
      </th>
      <td>
        <code>{shortId(c.id)}</code>
      </td>
      <td>
        <span className="clip clip-short" title={c.image}>
          {c.image}
        </span>
      </td>
      <td className="col-command">
        <code className="clip" title={c.command}>
          {c.command}
        </code>
      </td>
      <td className="col-created">{ago(c.created)}</td>
      <td>
        <span className="clip clip-status" title={c.status}>
          {c.status}
        </span>
      </td>
      <td className="col-actions">{!sizer && <ContainerRowActions c={c} />}</td>
    </tr>
  );
});

/** A made-up container with the longest text of every column among these. */
function widest(containers: ContainerSummary[]): ContainerSummary {
  const longest = (text: (c: ContainerSummary) => string) => containers.reduce((a, b) => (text(b).length > text(a).length ? b : a));
  return {
    ...containers[0],
    state: longest((c) => c.state).state,
    names: longest((c) => c.names[0] ?? '').names,
    image: longest((c) => c.image).image,
    command: longest((c) => c.command).command,
    created: longest((c) => ago(c.created)).created,
    status: longest((c) => c.status).status,
  };
}

/** Stands for rows not drawn, keeping the list's scroll height. */
function SpaceRow({ height }: { height: number }) {
  return (
    <tr className="row-space" aria-hidden="true">
      <td colSpan={columns} style={{ height }} />
    </tr>
  );
}
