// The actions on one image: Run, Create, Tag, History, Save, Push, Remove, each
// showing the command it equals. In a table row only Run shows beside a "⋯"
// menu holding the rest, so a row fits a 1280-pixel window; the image's own
// view shows them all. A Remove the engine refuses because a container uses
// the image says which container by its name, and offers what Docker would.

import { useState } from 'react';
import { ActionButton } from '../../components/ActionButton';
import { Icon, type IconName } from '../../components/Icon';
import { Dialog, Field } from '../../components/Dialog';
import { OverflowMenu } from '../../components/OverflowMenu';
import { useActions } from '../../data/actions';
import { useClient } from '../../data/EngineContext';
import { describeRemoval, pushImage, removeImage, saveImage, tagImage } from '../../data/exchange';
import { commands } from '../../model/commands';
import { isReference } from '../../model/reference';
import { useNavigate } from '../../app/navigation';
import { CreateDialog } from '../containers/CreateDialog';
import { RemoveRefusedDialog } from './RemoveRefusedDialog';
import type { EngineError } from '../../../../engine/errors';

export interface ImageTarget {
  id: string;
  /** How a person names it: a tag, else the short id. */
  name: string;
}

interface ImageAction {
  label: string;
  icon: IconName;
  command: string;
  press(): void;
  variant?: 'danger';
  /** Why it cannot be used now. */
  reason?: string;
  /** Opens a dialog first: its menu item says so with an ellipsis. */
  asks?: boolean;
}

export function ImageActions({ image, size = 'small', exclude = [], compact = false }: {
  image: ImageTarget;
  size?: 'small' | 'normal';
  exclude?: string[];
  /** A table row: Run, and the rest in a menu. */
  compact?: boolean;
}) {
  const client = useClient();
  const { run } = useActions();
  const go = useNavigate();
  const [dialog, setDialog] = useState<'run' | 'create' | 'tag' | null>(null);
  const [refused, setRefused] = useState<EngineError | null>(null);
  const file = `${image.name.replace(/[/:]/g, '_')}.tar`;

  const remove = async (force: boolean) => {
    let conflict: EngineError | null = null;
    const removed = await run(
      commands.rmi(image.name, force),
      () =>
        removeImage(client, image.name, force).catch((err: EngineError) => {
          if (err.code === 'Conflict') conflict = err;
          throw err;
        }),
      describeRemoval,
    );
    if (removed) go({ view: 'images', all: false });
    else if (conflict) setRefused(conflict);
  };

  const actions: ImageAction[] = [
    { label: 'Run', icon: 'start', asks: true, command: commands.run({ image: image.name, detach: true, tty: true, openStdin: true }), press: () => setDialog('run') },
    { label: 'Create', icon: 'create', asks: true, command: commands.create({ image: image.name }), press: () => setDialog('create') },
    { label: 'Tag', icon: 'tag', asks: true, command: commands.tag(image.name, 'NAME:TAG'), press: () => setDialog('tag') },
    { label: 'History', icon: 'history', command: commands.history(image.name), press: () => go({ view: 'image', id: image.id, tab: 'history' }) },
    { label: 'Save', icon: 'save', command: commands.save(image.name, file), press: () => void run(commands.save(image.name, file), () => saveImage(client, image.name, file), (r) => r) },
    {
      label: 'Push',
      icon: 'save',
      command: commands.push(image.name),
      reason: image.name.includes(':') || image.name.includes('/') ? undefined : 'push needs a name: tag the image host/name:tag first',
      press: () => void run(commands.push(image.name), () => pushImage(client, image.name), (r) => r),
    },
    { label: 'Remove', icon: 'remove', variant: 'danger', command: commands.rmi(image.name), press: () => void remove(false) },
  ];
  const offered = actions.filter((a) => !exclude.includes(a.label));
  const shown = compact ? offered.filter((a) => a.label === 'Run') : offered;
  const folded = compact ? offered.filter((a) => a.label !== 'Run') : [];
  return (
    <div className="image-actions" role="group" aria-label={`Actions on ${image.name}`}>
      {shown.map((a) => (
        <ActionButton key={a.label} label={a.label} icon={<Icon name={a.icon} />} size={size} variant={a.variant ?? 'default'} command={a.command} disabledReason={a.reason} onPress={a.press} />
      ))}
      {folded.length > 0 && (
        <OverflowMenu
          label={`More actions on ${image.name}`}
          items={folded.map((a) => ({ label: a.asks ? `${a.label}…` : a.label, command: a.command, disabledReason: a.reason, danger: a.variant === 'danger', onSelect: a.press }))}
        />
      )}
      {(dialog === 'run' || dialog === 'create') && <CreateDialog mode={dialog} image={image.name} onClose={() => setDialog(null)} />}
      {dialog === 'tag' && <TagDialog image={image} onClose={() => setDialog(null)} />}
      {refused && (
        <RemoveRefusedDialog
          image={image}
          error={refused}
          onClose={() => setRefused(null)}
          onForce={() => {
            setRefused(null);
            void remove(true);
          }}
        />
      )}
    </div>
  );
}

function TagDialog({ image, onClose }: { image: ImageTarget; onClose(): void }) {
  const client = useClient();
  const { run } = useActions();
  const [target, setTarget] = useState('');
  const valid = isReference(target.trim());
  const command = commands.tag(image.name, target.trim() || 'NAME:TAG');
  return (
    <Dialog
      title={`Tag ${image.name}`}
      submitLabel="Tag"
      command={command}
      submitDisabled={!valid}
      onClose={onClose}
      onSubmit={() => {
        onClose();
        void run(command, () => tagImage(client, image.name, target.trim()));
      }}
    >
      <p className="dialog-lead">A tag is one more name for the same image id: no layer is copied.</p>
      <Field label="New name" hint="name[:tag], lower case; the tag defaults to latest">
        <input value={target} onChange={(e) => setTarget(e.target.value)} placeholder="myapp:v2" autoComplete="off" spellCheck={false} />
      </Field>
    </Dialog>
  );
}
