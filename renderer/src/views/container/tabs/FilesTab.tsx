// Files: the merged tree as the container sees it, each path with the layer
// it comes from, next to the writable layer's changes (`strata diff`), both
// re-read while the container writes. With a read-only layer picked in the
// stack, that layer's own files instead.

import { useCallback, useMemo, useState } from 'react';
import type { ChangeEntry, LayerRef } from '../../../../../engine/api';
import { CommandLine } from '../../../components/CommandLine';
import { FileDetailsPanel } from '../../../components/FileDetailsPanel';
import { LayerFilesList } from '../../../components/LayerFilesList';
import { ChangeMark } from '../../../components/Marks';
import { MergedTree } from '../../../components/MergedTree';
import { ErrorNote, Loading } from '../../../components/Notes';
import { useClient } from '../../../data/EngineContext';
import { useQuery } from '../../../data/useQuery';
import { commands } from '../../../model/commands';
import { dirsWithChanges } from '../../../model/mergedTree';

export function FilesTab({ id, imageId, changes, selected, onShowMerged }: {
  id: string;
  imageId: string;
  changes: readonly ChangeEntry[];
  selected: LayerRef;
  onShowMerged(): void;
}) {
  const client = useClient();
  const load = useCallback((path: string) => client.call('container.tree', { id, path }), [client, id]);
  const loadFile = useCallback((path: string) => client.call('container.file', { id, path }), [client, id]);
  const version = useMemo(() => changes.map((c) => c.kind + c.path).join('\n'), [changes]);
  const changed = useMemo(() => dirsWithChanges(changes), [changes]);
  const [opened, setOpened] = useState<string | null>(null);
  const info = useQuery('system.info', {});

  if (typeof selected === 'number') return <OwnFiles imageId={imageId} layer={selected} onShowMerged={onShowMerged} />;

  return (
    <div className="files-tab">
      <section className="files-main" aria-labelledby="merged-title">
        <h3 id="merged-title">Merged view</h3>
        <p className="panel-lead">What a process in the container sees: every layer merged, the writable one on top.</p>
        <MergedTree
          load={load}
          version={version}
          label="Merged file tree"
          changedDirs={changed}
          height={520}
          testId="merged-tree"
          onOpen={(e) => setOpened(e.path)}
          opened={opened}
        />
      </section>
      <section className="files-side" aria-labelledby="changes-title">
        {opened && <FileDetailsPanel path={opened} load={loadFile} version={version} root={info.data?.root} onClose={() => setOpened(null)} />}
        <h3 id="changes-title">Writable layer</h3>
        <CommandLine command={commands.diff(id)} />
        {changes.length === 0 ? (
          <p className="note note-empty">No changes yet: the container has not written anything.</p>
        ) : (
          <ul className="changes" aria-label="Changes in the writable layer" data-testid="rw-changes">
            {changes.map((c) => (
              <li key={c.kind + c.path}>
                <ChangeMark kind={c.kind} />{' '}
                <button type="button" className="linklike" onClick={() => setOpened(c.path)} aria-label={`${c.path}: details`}>
                  <code>{c.path}</code>
                </button>
              </li>
            ))}
          </ul>
        )}
        <p className="teach">
          A file added or changed here is copied into the writable layer; one deleted leaves a <strong>whiteout</strong> there. The image’s
          layers never change. Click a path to see where it is on the host and whether any image layer has it.
        </p>
      </section>
    </div>
  );
}

function OwnFiles({ imageId, layer, onShowMerged }: { imageId: string; layer: number; onShowMerged(): void }) {
  const files = useQuery('image.layerFiles', { ref: imageId, layer });
  return (
    <section className="own-files" aria-labelledby="own-title">
      <div className="section-head">
        <h3 id="own-title">Layer {layer}: its own files</h3>
        <button type="button" className="btn btn-default btn-small" onClick={onShowMerged}>
          Show the merged view
        </button>
      </div>
      <p className="panel-lead">Compared with the layers below it. Read-only: shared by every image and container built on it.</p>
      {files.error && <ErrorNote error={files.error} what="the layer’s files" />}
      {files.data ? <LayerFilesList files={files.data} label={`Files of layer ${layer}`} height={480} /> : !files.error && <Loading what="the layer’s files" />}
    </section>
  );
}
