// The actions on one image: Run, Create, Tag, History, Save, Remove, each
// showing the command it equals. Tag, Save and Remove arrive with image
// exchange; until the engine serves them they say so.

import { useState } from 'react';
import { ActionButton } from '../../components/ActionButton';
import { Icon, type IconName } from '../../components/Icon';
import { Dialog, Field } from '../../components/Dialog';
import { useActions } from '../../data/actions';
import { serves } from '../../data/capabilities';
import { useClient } from '../../data/EngineContext';
import { describeRemoval, pushImage, removeImage, saveImage, tagImage } from '../../data/exchange';
import { commands } from '../../model/commands';
import { useNavigate } from '../../app/navigation';
import { CreateDialog } from '../containers/CreateDialog';

export interface ImageTarget {
  id: string;
  /** How a person names it: a tag, else the short id. */
  name: string;
}

const comingReason = (request: string) => (serves(request) ? undefined : 'coming with image exchange');

export function ImageActions({ image, size = 'small', exclude = [] }: { image: ImageTarget; size?: 'small' | 'normal'; exclude?: string[] }) {
  const client = useClient();
  const { run } = useActions();
  const go = useNavigate();
  const [dialog, setDialog] = useState<'run' | 'create' | 'tag' | null>(null);
  const file = `${image.name.replace(/[/:]/g, '_')}.tar`;
  const buttons = [
    { label: 'Run', icon: 'start' as IconName, command: commands.run({ image: image.name, detach: true, tty: true, openStdin: true }), press: () => setDialog('run') },
    { label: 'Create', icon: 'create' as IconName, command: commands.create({ image: image.name }), press: () => setDialog('create') },
    { label: 'Tag', icon: 'tag' as IconName, command: commands.tag(image.name, 'NAME:TAG'), reason: comingReason('image.tag'), press: () => setDialog('tag') },
    { label: 'History', icon: 'history' as IconName, command: commands.history(image.name), press: () => go({ view: 'image', id: image.id, tab: 'history' }) },
    {
      label: 'Save',
      icon: 'save' as IconName,
      command: commands.save(image.name, file),
      reason: comingReason('image.save'),
      press: () => void run(commands.save(image.name, file), () => saveImage(client, image.name, file), (r) => r),
    },
    {
      label: 'Push',
      icon: 'save' as IconName,
      command: commands.push(image.name),
      reason: image.name.includes(':') || image.name.includes('/') ? undefined : 'push needs a name: tag the image host/name:tag first',
      press: () => void run(commands.push(image.name), () => pushImage(client, image.name), (r) => r),
    },
    {
      label: 'Remove',
      icon: 'remove' as IconName,
      variant: 'danger' as const,
      command: commands.rmi(image.name),
      reason: comingReason('image.remove'),
      press: async () => {
        const removed = await run(commands.rmi(image.name), () => removeImage(client, image.name), describeRemoval);
        if (removed) go({ view: 'images', all: false });
      },
    },
  ].filter((b) => !exclude.includes(b.label));
  return (
    <div className="image-actions" role="group" aria-label={`Actions on ${image.name}`}>
      {buttons.map((b) => (
        <ActionButton key={b.label} label={b.label} icon={<Icon name={b.icon} />} size={size} variant={b.variant ?? 'default'} command={b.command} disabledReason={b.reason} onPress={b.press} />
      ))}
      {(dialog === 'run' || dialog === 'create') && <CreateDialog mode={dialog} image={image.name} onClose={() => setDialog(null)} />}
      {dialog === 'tag' && <TagDialog image={image} onClose={() => setDialog(null)} />}
    </div>
  );
}

function TagDialog({ image, onClose }: { image: ImageTarget; onClose(): void }) {
  const client = useClient();
  const { run } = useActions();
  const [target, setTarget] = useState('');
  const valid = /^[a-z0-9]+(?:[._-][a-z0-9]+)*(?:\/[a-z0-9]+(?:[._-][a-z0-9]+)*)*(?::[\w][\w.-]{0,127})?$/.test(target.trim());
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
