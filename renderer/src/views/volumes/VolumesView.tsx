// `strata volume ls`, with what `system df -v` knows: each volume's size, its
// directory on the host, and which containers mount it and where. A volume
// is outside every layer: what a container writes there outlives it, `diff`
// does not list it and `commit` does not take it.

import { scaleLinear } from 'd3';
import { useState } from 'react';
import type { VolumeSummary } from '../../../../engine/api';
import { ActionButton } from '../../components/ActionButton';
import { CommandLine } from '../../components/CommandLine';
import { Dialog, Field } from '../../components/Dialog';
import { Icon } from '../../components/Icon';
import { Empty, ErrorNote, Loading } from '../../components/Notes';
import { useActions } from '../../data/actions';
import { useClient } from '../../data/EngineContext';
import { affectsVolumes } from '../../data/events';
import { useQuery } from '../../data/useQuery';
import { commands } from '../../model/commands';
import { shortId, size } from '../../model/format';
import { formatRoute } from '../../app/routes';
import { useNavigate } from '../../app/navigation';

const barWidth = 160;

export function VolumesView() {
  // Sizes walk every volume's files: re-read on volume and container events, not on a timer.
  const list = useQuery('volume.list', { size: true }, { refreshOn: affectsVolumes });
  const [creating, setCreating] = useState(false);
  const [all, setAll] = useState(false);
  const { run } = useActions();
  const client = useClient();
  const largest = Math.max(1, ...(list.data ?? []).map((v) => v.size));
  const bar = scaleLinear().domain([0, largest]).range([0, barWidth]);
  return (
    <div className="view">
      <header className="view-head">
        <div>
          <h1>Volumes</h1>
          <p className="lead">
            A volume is a directory under the engine root (<code>volumes/NAME/_data</code>) that containers mount: what they write there is in no layer, so it
            outlives them, <code>diff</code> does not list it and <code>commit</code> does not take it.
          </p>
        </div>
      </header>
      <div className="toolbar">
        <CommandLine command={commands.volumes()} />
        <div className="toolbar-actions">
          <ActionButton label="Create volume…" variant="primary" icon={<Icon name="create" />} command={commands.volumeCreate('NAME')} onPress={() => setCreating(true)} />
          <label className="check">
            <input type="checkbox" checked={all} onChange={(e) => setAll(e.target.checked)} />
            named ones too
          </label>
          <ActionButton
            label="Prune"
            icon={<Icon name="remove" />}
            command={commands.volumePrune(all)}
            onPress={() =>
              void run(commands.volumePrune(all), () => client.call('volume.prune', { all }), (r) => `${r.deleted.length} removed, ${size(r.spaceReclaimed)} reclaimed`)
            }
          />
        </div>
      </div>
      {creating && <CreateVolumeDialog onClose={() => setCreating(false)} />}
      {list.error && <ErrorNote error={list.error} what="volumes" />}
      {!list.data && !list.error && <Loading what="volumes" />}
      {list.data && list.data.length === 0 && (
        <Empty>
          No volumes yet. <code>strata run -v data:/data IMAGE</code> makes one on first use, filled with what the image has at <code>/data</code>.
        </Empty>
      )}
      {list.data && list.data.length > 0 && (
        <ul className="volumes" data-testid="volume-list">
          {list.data.map((v) => (
            <VolumeCard key={v.name} v={v} width={bar(v.size)} />
          ))}
        </ul>
      )}
    </div>
  );
}

function VolumeCard({ v, width }: { v: VolumeSummary; width: number }) {
  const go = useNavigate();
  const { run } = useActions();
  const client = useClient();
  const title = v.anonymous ? `anonymous ${shortId(v.name)}` : v.name;
  const refusal = v.users.length > 0 ? `in use by ${[...new Set(v.users.map((u) => u.containerName))].join(', ')}` : undefined;
  return (
    <li className="volume" aria-label={`Volume ${title}, ${size(v.size)}`} data-testid={`volume-${v.name}`}>
      <div className="volume-head">
        <h2 className="volume-name" title={v.name}>
          {title}
        </h2>
        {v.anonymous && <span className="chip">anonymous: goes with rm -v and --rm</span>}
        <span className="volume-size">
          <svg width={barWidth} height="12" aria-hidden="true" className="sizebar">
            <rect width={barWidth} height="12" rx="2" className="sizebar-track" />
            <rect width={Math.max(width, v.size > 0 ? 2 : 0)} height="12" rx="2" className="sizebar-fill" />
          </svg>
          <strong>{size(v.size)}</strong>
        </span>
        <ActionButton
          label="Remove"
          size="small"
          variant="danger"
          icon={<Icon name="remove" />}
          command={commands.volumeRm(v.name)}
          disabledReason={refusal}
          onPress={() => void run(commands.volumeRm(v.name), () => client.call('volume.remove', { name: v.name }))}
        />
      </div>
      <p className="volume-path">
        on the host: <code>{v.mountpoint}</code>
      </p>
      {v.users.length === 0 ? (
        <p className="volume-users-none">No container mounts it.</p>
      ) : (
        <ul className="volume-users" aria-label="Mounted by">
          {v.users.map((u) => {
            const route = { view: 'container' as const, id: u.containerId, tab: 'files' as const };
            return (
              <li key={`${u.containerId}${u.destination}`} className={u.running ? 'is-running' : ''}>
                <a
                  href={formatRoute(route)}
                  onClick={(e) => {
                    e.preventDefault();
                    go(route);
                  }}
                >
                  {u.containerName}
                </a>{' '}
                at <code>{u.destination}</code> <span className="chip">{u.rw ? 'read-write' : 'read-only'}</span>
                {u.running && <span className="chip chip-running">running</span>}
              </li>
            );
          })}
        </ul>
      )}
    </li>
  );
}

function CreateVolumeDialog({ onClose }: { onClose(): void }) {
  const client = useClient();
  const { run } = useActions();
  const [name, setName] = useState('');
  const command = commands.volumeCreate(name.trim());
  return (
    <Dialog
      title="Create a volume"
      submitLabel="Create"
      command={command}
      onClose={onClose}
      onSubmit={() => {
        onClose();
        void run(command, () => client.call('volume.create', name.trim() ? { name: name.trim() } : {}), (v) => v.Name);
      }}
    >
      <p className="dialog-lead">An empty directory under the engine root. The first container to mount it where its image has files copies them in.</p>
      <Field label="Name" hint="Optional; a random one like an anonymous volume’s when empty.">
        <input value={name} onChange={(e) => setName(e.target.value)} placeholder="e.g. data" autoComplete="off" spellCheck={false} />
      </Field>
    </Dialog>
  );
}
