// `strata image prune`: images nothing needs, deleted with the layers only
// they used. Dangling ones by default (untagged, no image built on them);
// with -a every image no container uses, tagged or not.

import { useState } from 'react';
import type { ImagePruneReport } from '../../../../engine/api';
import { Dialog } from '../../components/Dialog';
import { useActions } from '../../data/actions';
import { useClient } from '../../data/EngineContext';
import { commands } from '../../model/commands';
import { size } from '../../model/format';

export function describePrune(r: ImagePruneReport): string {
  const deleted = r.deleted.filter((d) => 'deleted' in d).length;
  return `${deleted} deleted · Total reclaimed space: ${size(r.spaceReclaimed)}`;
}

export function PruneDialog({ onClose }: { onClose(): void }) {
  const client = useClient();
  const { run } = useActions();
  const [all, setAll] = useState(false);
  const command = commands.imagePrune(all);
  return (
    <Dialog
      title="Prune images"
      submitLabel="Prune"
      command={command}
      onClose={onClose}
      onSubmit={() => {
        onClose();
        void run(command, () => client.call('image.prune', { all }), describePrune);
      }}
    >
      <p className="dialog-lead">Deletes images nothing needs, and the layers only they used. A layer another image shares stays.</p>
      <fieldset className="radios">
        <legend className="field-label">Which images</legend>
        <label className="check">
          <input type="radio" name="prune" checked={!all} onChange={() => setAll(false)} />
          Dangling only: untagged images no other image is built on (what a rebuild leaves behind)
        </label>
        <label className="check">
          <input type="radio" name="prune" checked={all} onChange={() => setAll(true)} />
          Every image no container uses (<code>-a</code>), tagged ones too, the starter image included
        </label>
      </fieldset>
    </Dialog>
  );
}
