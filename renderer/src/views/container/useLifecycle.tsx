// The lifecycle actions on one container, shared by its view's buttons and
// the containers list's row menu: what each does, the command it equals,
// whether Docker would refuse it now (and why), which one is busy, and the
// dialogs Create and Commit open first.

import { useState, type ReactNode } from 'react';
import type { ContainerState } from '../../../../engine/api';
import { useActions } from '../../data/actions';
import { useClient } from '../../data/EngineContext';
import { serves } from '../../data/capabilities';
import { commitContainer, exportContainer } from '../../data/exchange';
import { commands } from '../../model/commands';
import { shortId } from '../../model/format';
import { availability, type Availability, type LifecycleAction } from '../../model/lifecycle';
import { useNavigate } from '../../app/navigation';
import { CreateDialog } from '../containers/CreateDialog';
import { CommitDialog } from './CommitDialog';

export interface ControlTarget {
  id: string;
  name: string;
  state: ContainerState;
  image: string; // what it was created from, for Create
}

export interface Lifecycle {
  press: Record<LifecycleAction, () => void>;
  commandFor: Record<LifecycleAction, string>;
  availability(action: LifecycleAction): Availability;
  busy: LifecycleAction | null;
  /** The dialog an action opened, if any: render it. */
  dialogs: ReactNode;
}

export function useLifecycle(target: ControlTarget, opts: { onSignal?(kind: 'stop' | 'kill'): void; afterRemove?(): void } = {}): Lifecycle {
  const client = useClient();
  const { run } = useActions();
  const go = useNavigate();
  const [busy, setBusy] = useState<LifecycleAction | null>(null);
  const [dialog, setDialog] = useState<'create' | 'commit' | null>(null);
  const id = target.id;
  const file = `${target.name}.tar`;

  const act = async <T,>(action: LifecycleAction, command: string, work: () => Promise<T>, after?: () => void, describe?: (r: T) => string | undefined) => {
    setBusy(action);
    const done = await run(command, async () => ({ result: await work() }), (r) => describe?.(r.result));
    setBusy(null);
    if (done) after?.();
  };

  const press: Record<LifecycleAction, () => void> = {
    Create: () => setDialog('create'),
    Start: () => void act('Start', commands.start(id), () => client.call('container.start', { id })),
    Stop: () => {
      opts.onSignal?.('stop');
      void act('Stop', commands.stop(id), () => client.call('container.stop', { id }));
    },
    Kill: () => {
      opts.onSignal?.('kill');
      void act('Kill', commands.kill(id), () => client.call('container.kill', { id }));
    },
    Pause: () => void act('Pause', commands.pause(id), () => client.call('container.pause', { id })),
    Unpause: () => void act('Unpause', commands.unpause(id), () => client.call('container.unpause', { id })),
    Restart: () => void act('Restart', commands.restart(id), () => client.call('container.restart', { id })),
    Commit: () => setDialog('commit'),
    Export: () => void act('Export', commands.export(id, file), () => exportContainer(client, id, file), undefined, (r) => r),
    Remove: () => void act('Remove', commands.rm(id), () => client.call('container.remove', { id }), opts.afterRemove),
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
    Export: commands.export(id, file),
    Remove: commands.rm(id),
  };

  const dialogs = (
    <>
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
    </>
  );

  return { press, commandFor, availability: (a) => availability(a, target.state, shortId(id), serves), busy, dialogs };
}
