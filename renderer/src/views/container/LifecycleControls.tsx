// The ten lifecycle buttons, with exactly Docker's verbs as their names.
// Each is disabled (focusable, with the reason on hover and focus) where
// Docker would refuse it, and shows the command it equals.

import { useState } from 'react';
import type { ContainerState } from '../../../../engine/api';
import { ActionButton } from '../../components/ActionButton';
import { Icon, type IconName } from '../../components/Icon';
import { useActions } from '../../data/actions';
import { useClient } from '../../data/EngineContext';
import { serves } from '../../data/capabilities';
import { commitContainer, exportContainer } from '../../data/exchange';
import { commands } from '../../model/commands';
import { shortId } from '../../model/format';
import { availability, type LifecycleAction } from '../../model/lifecycle';
import { useNavigate } from '../../app/navigation';
import { CreateDialog } from '../containers/CreateDialog';
import { CommitDialog } from './CommitDialog';

const icons: Record<LifecycleAction, IconName> = {
  Create: 'create',
  Start: 'start',
  Stop: 'stop',
  Kill: 'kill',
  Pause: 'pause',
  Unpause: 'start',
  Restart: 'restart',
  Commit: 'commit',
  Export: 'export',
  Remove: 'remove',
};

export interface ControlTarget {
  id: string;
  name: string;
  state: ContainerState;
  image: string; // what it was created from, for Create
}

export function LifecycleControls({ target, onPoint }: { target: ControlTarget; onPoint(action: LifecycleAction | null): void }) {
  const client = useClient();
  const { run } = useActions();
  const go = useNavigate();
  const [busy, setBusy] = useState<LifecycleAction | null>(null);
  const [dialog, setDialog] = useState<'create' | 'commit' | null>(null);
  const ref = shortId(target.id);
  const id = target.id;

  const act = async <T,>(action: LifecycleAction, command: string, work: () => Promise<T>, after?: () => void, describe?: (r: T) => string | undefined) => {
    setBusy(action);
    const done = await run(command, async () => ({ result: await work() }), (r) => describe?.(r.result));
    setBusy(null);
    if (done) after?.();
  };

  const press: Record<LifecycleAction, () => void> = {
    Create: () => setDialog('create'),
    Start: () => act('Start', commands.start(id), () => client.call('container.start', { id })),
    Stop: () => act('Stop', commands.stop(id), () => client.call('container.stop', { id })),
    Kill: () => act('Kill', commands.kill(id), () => client.call('container.kill', { id })),
    Pause: () => act('Pause', commands.pause(id), () => client.call('container.pause', { id })),
    Unpause: () => act('Unpause', commands.unpause(id), () => client.call('container.unpause', { id })),
    Restart: () => act('Restart', commands.restart(id), () => client.call('container.restart', { id })),
    Commit: () => setDialog('commit'),
    Export: () => {
      const file = `${target.name}.tar`;
      void act('Export', commands.export(id, file), () => exportContainer(client, id, file), undefined, (r) => r);
    },
    Remove: () => act('Remove', commands.rm(id), () => client.call('container.remove', { id }), () => go({ view: 'containers', all: true })),
  };

  const commandFor: Record<LifecycleAction, string> = {
    Create: commands.create({ image: target.image }),
    Start: commands.start(id),
    Stop: commands.stop(id),
    Kill: commands.kill(id),
    Pause: commands.pause(id),
    Unpause: commands.unpause(id),
    Restart: commands.restart(id),
    Commit: commands.commit(id, { reference: 'REPOSITORY:TAG' }),
    Export: commands.export(id, `${target.name}.tar`),
    Remove: commands.rm(id),
  };

  const groups: Array<{ label: string; actions: LifecycleAction[] }> = [
    { label: 'Lifecycle', actions: ['Create', 'Start', 'Stop', 'Kill', 'Pause', 'Unpause', 'Restart', 'Remove'] },
    { label: 'Writable layer', actions: ['Commit', 'Export'] },
  ];

  return (
    <div className="controls" onMouseLeave={() => onPoint(null)}>
      {groups.map((g) => (
        <div key={g.label} role="group" aria-label={g.label} className="control-group">
          <span className="control-group-label">{g.label}</span>
          <div className="control-buttons">
            {g.actions.map((a) => {
              const avail = availability(a, target.state, ref, serves);
              return (
                <span key={a} onMouseEnter={() => onPoint(a)} onFocus={() => onPoint(a)} onBlur={() => onPoint(null)}>
                  <ActionButton
                    label={a}
                    icon={<Icon name={icons[a]} />}
                    variant={a === 'Remove' || a === 'Kill' ? 'danger' : 'default'}
                    command={commandFor[a]}
                    disabledReason={avail.enabled ? undefined : avail.reason}
                    busy={busy === a}
                    onPress={press[a]}
                  />
                </span>
              );
            })}
          </div>
        </div>
      ))}
      {dialog === 'create' && <CreateDialog mode="create" image={target.image} onClose={() => setDialog(null)} />}
      {dialog === 'commit' && (
        <CommitDialog
          containerId={id}
          running={target.state === 'running'}
          onClose={() => setDialog(null)}
          onCommit={async (o) => {
            setDialog(null);
            setBusy('Commit');
            const result = await run(commands.commit(id, o), () => commitContainer(client, { id, ...o }), (r) => shortId(r.imageId));
            setBusy(null);
            if (result) go({ view: 'image', id: result.imageId, tab: 'files' });
          }}
        />
      )}
    </div>
  );
}

