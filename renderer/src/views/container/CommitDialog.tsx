// Commit: name the new image; the writable layer becomes its top layer.

import { useState } from 'react';
import { Dialog, Field } from '../../components/Dialog';
import type { CommitForm } from '../../data/exchange';
import { commands } from '../../model/commands';
import { isReference } from '../../model/reference';


export function CommitDialog({ containerId, running, onClose, onCommit }: { containerId: string; running: boolean; onClose(): void; onCommit(o: CommitForm): void }) {
  const [ref, setRef] = useState('');
  const [message, setMessage] = useState('');
  const [author, setAuthor] = useState('');
  const form: CommitForm = { reference: ref.trim() || undefined, message: message.trim() || undefined, author: author.trim() || undefined };
  const invalid = !!form.reference && !isReference(form.reference);
  return (
    <Dialog
      title="Commit the writable layer"
      submitLabel="Commit"
      onClose={onClose}
      onSubmit={() => onCommit(form)}
      command={commands.commit(containerId, form)}
      submitDisabled={invalid}
    >
      <p className="dialog-lead">
        The container’s writable layer becomes a new read-only layer, on top of its image’s layers: a new image. The container
        itself is not changed{running ? '; it is paused while its layer is copied, as Docker does' : ''}.
      </p>
      <Field label="Repository and tag" hint={invalid ? 'Use lower-case name[:tag], e.g. myapp:v2' : 'Optional; without it the image is <none>:<none>.'}>
        <input value={ref} onChange={(e) => setRef(e.target.value)} placeholder="myapp:v2" autoComplete="off" spellCheck={false} aria-invalid={invalid || undefined} />
      </Field>
      <Field label="Message" hint="Kept in the history (-m); the app titles the new layer with it.">
        <input value={message} onChange={(e) => setMessage(e.target.value)} placeholder="what changed" autoComplete="off" />
      </Field>
      <Field label="Author">
        <input value={author} onChange={(e) => setAuthor(e.target.value)} autoComplete="off" />
      </Field>
    </Dialog>
  );
}
