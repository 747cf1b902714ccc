// Every way to get an image into an empty store, in one place, so no screen
// is a dead end: make the starter image from this machine's own programs
// (offline), pull one from a registry, load an archive someone saved, or
// import a file system tarball.

import { useState } from 'react';
import type { LoadedImage } from '../../../../engine/api';
import { ActionButton } from '../../components/ActionButton';
import { Icon } from '../../components/Icon';
import { ErrorNote } from '../../components/Notes';
import { useActions } from '../../data/actions';
import { useClient } from '../../data/EngineContext';
import { usePullSession } from '../../data/pullSession';
import { useQuery } from '../../data/useQuery';
import { commands } from '../../model/commands';
import { PullDialog } from './RegistryDialogs';
import { ImportDialog, LoadDialog } from './UploadDialogs';

export function GetImage({ onImage, onPulling, headingLevel = 3 }: {
  /** An image was made, loaded or imported: its reference (or id). */
  onImage?(ref: string): void;
  /** A pull started (the Images view shows it arriving, in its panel). */
  onPulling?(): void;
  headingLevel?: 2 | 3;
}) {
  const client = useClient();
  const { run } = useActions();
  const pull = usePullSession();
  const [busy, setBusy] = useState(false);
  const [dialog, setDialog] = useState<'load' | 'import' | 'pull' | null>(null);
  const source = useQuery('image.starterSource', {});
  const H = `h${headingLevel}` as const;
  return (
    <div className="get-image" data-testid="get-image">
      <H className="get-image-title">Get an image</H>
      <p className="get-image-lead">A container starts from an image: a stack of read-only layers. There is none here yet.</p>
      <ul className="ways">
        <li className="way way-main">
          <ActionButton
            label="Make the starter image"
            variant="primary"
            icon={<Icon name="create" />}
            command={commands.bootstrap()}
            busy={busy}
            onPress={async () => {
              setBusy(true);
              const made = await run(commands.bootstrap(), () => client.call('image.bootstrap', {}), (r) => r.reference);
              setBusy(false);
              if (made) onImage?.(made.reference);
            }}
          />
          {source.data ? (
            <>
              <p className="way-note">One layer holding {source.data.detail}, copied from this machine: no network needed.</p>
              {source.data.warning ? (
                <p className="note starter-warning" role="note" data-testid="starter-warning">
                  {source.data.warning}
                </p>
              ) : null}
            </>
          ) : source.error ? (
            <ErrorNote error={source.error} what="where the starter image comes from" />
          ) : null}
        </li>
        <li className="way">
          <ActionButton
            label="Pull from a registry…"
            icon={<Icon name="create" />}
            command={commands.pull('NAME[:TAG]')}
            disabledReason={pull.state.phase === 'running' ? 'a pull is running' : undefined}
            onPress={() => setDialog('pull')}
          />
          <p className="way-note">
            An image from Docker Hub or another registry, as <code>docker pull</code> gets it: layers already here are not downloaded again.
          </p>
        </li>
        <li className="way">
          <ActionButton label="Load an archive…" icon={<Icon name="save" />} command={commands.load('FILE.tar')} onPress={() => setDialog('load')} />
          <p className="way-note">An image someone saved with <code>strata save</code> or <code>docker save</code>.</p>
        </li>
        <li className="way">
          <ActionButton label="Import a file system…" icon={<Icon name="export" />} command={commands.import('FILE.tar')} onPress={() => setDialog('import')} />
          <p className="way-note">A root file system tarball, as <code>strata export</code> writes, as a one-layer image.</p>
        </li>
      </ul>
      {dialog === 'load' && (
        <LoadDialog onClose={() => setDialog(null)} onLoaded={(images: LoadedImage[]) => onImage?.(images[0]?.repoTags[0] ?? images[0]?.id ?? '')} />
      )}
      {dialog === 'import' && <ImportDialog onClose={() => setDialog(null)} onImported={(id) => onImage?.(id)} />}
      {dialog === 'pull' && (
        <PullDialog
          onClose={() => setDialog(null)}
          onPull={(reference, platform) => {
            void pull.start(reference, platform);
            onPulling?.();
          }}
        />
      )}
    </div>
  );
}
