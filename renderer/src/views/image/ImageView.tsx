// One image as its layer stack: the stack drawn bottom to top on the left;
// on the right the picked layer's own files, the merged view a container
// would see, where the bytes go, the history and inspect.

import { useCallback, useState } from 'react';
import type { ImageStack } from '../../../../engine/api';
import { CommandLine } from '../../components/CommandLine';
import { FileDetailsPanel } from '../../components/FileDetailsPanel';
import { JsonView } from '../../components/JsonView';
import { LayerFilesList } from '../../components/LayerFilesList';
import { MergedTree } from '../../components/MergedTree';
import { ErrorNote, Loading } from '../../components/Notes';
import { StackDiagram } from '../../components/StackDiagram';
import { Tabs, type TabSpec } from '../../components/Tabs';
import { useClient } from '../../data/EngineContext';
import { aboutImage } from '../../data/events';
import { useQuery } from '../../data/useQuery';
import { commands, imageName } from '../../model/commands';
import { agoIso, instruction, layerTitle, percent, shortDigest, shortId, size } from '../../model/format';
import { Created } from '../images/Created';
import { formatRoute, type ImageTab } from '../../app/routes';
import { useNavigate } from '../../app/navigation';
import { ImageActions } from '../images/ImageActions';
import { SizeMap } from './SizeMap';

const tabs: TabSpec<ImageTab>[] = [
  { id: 'files', label: 'Layer files' },
  { id: 'merged', label: 'Merged view' },
  { id: 'size', label: 'Size map' },
  { id: 'history', label: 'History' },
  { id: 'inspect', label: 'Inspect' },
];

export function ImageView({ id, tab, layer }: { id: string; tab: ImageTab; layer?: number }) {
  const go = useNavigate();
  const stack = useQuery('image.stack', { ref: id }, { refreshOn: aboutImage(id) });
  if (stack.error) {
    return (
      <div className="view">
        <header className="view-head">
          <h1>{stack.error.code === 'NotFound' ? 'Image removed' : 'Image'}</h1>
        </header>
        <ErrorNote error={stack.error} />
        <a href={formatRoute({ view: 'images', all: false })}>Back to the images</a>
      </div>
    );
  }
  const s = stack.data;
  if (!s) return <Loading what="the image’s layers" />;
  const layers = s.entries.filter((e) => e.kind === 'layer');
  const top = layers.length - 1;
  const selected = layer !== undefined && layer <= top ? layer : top;
  const name = imageName(s.id, s.repoTags);
  const select = (l: number, t: ImageTab = tab) => go({ view: 'image', id, tab: t, layer: l }, true);

  return (
    <div className="view view-image">
      <header className="view-head">
        <div>
          <p className="crumbs">
            <a href={formatRoute({ view: 'images', all: false })}>Images</a> /
          </p>
          <h1>{s.repoTags[0] ?? '<none>:<none>'}</h1>
          <p className="facts">
            <span>
              ID <code>{shortId(s.id)}</code>
            </span>
            {s.repoTags.length > 1 && <span>also {s.repoTags.slice(1).join(', ')}</span>}
            <span>
              {layers.length} layer{layers.length === 1 ? '' : 's'} · {size(s.size)}
            </span>
            <span>{percent(s.efficiency)} efficient</span>
            <span>
              created <Created created={s.created} added={s.added} />
            </span>
          </p>
        </div>
        <ImageActions image={{ id: s.id, name }} size="normal" exclude={['History']} />
      </header>

      <div className="image-grid">
        <section className="panel" aria-labelledby="stack-title">
          <h2 id="stack-title">Layer stack</h2>
          <p className="panel-lead">Read-only layers, the base at the bottom. A container adds one writable layer on top.</p>
          {layers.length === 0 ? (
            <p className="note note-empty">This image has no layers: a container of it starts from an empty root.</p>
          ) : (
            <StackDiagram scrollable entries={s.entries} selected={selected} onSelect={(l) => typeof l === 'number' && select(l)} label="Layers of this image, top first" />
          )}
        </section>
        <section className="panel detail" aria-label="Layer details">
          <Tabs tabs={tabs} selected={tab} onSelect={(t) => select(selected, t)} label="Image details">
            {tab === 'files' && layers.length > 0 && <LayerPanel stack={s} layer={selected} />}
            {tab === 'merged' && <ImageMerged id={s.id} focus={selected} />}
            {tab === 'size' && <SizeMap stack={s} onSelect={(l) => select(l, 'files')} />}
            {tab === 'history' && <History stack={s} name={name} />}
            {tab === 'inspect' && <ImageInspect id={s.id} name={name} />}
          </Tabs>
        </section>
      </div>
    </div>
  );
}

function LayerPanel({ stack, layer }: { stack: ImageStack; layer: number }) {
  const files = useQuery('image.layerFiles', { ref: stack.id, layer });
  const e = stack.entries.find((x) => x.layerIndex === layer);
  if (!e) return null;
  return (
    <div className="layer-panel">
      <h3>
        Layer {layer}: <span className="mono">{layerTitle(e).title || 'no instruction recorded'}</span>
      </h3>
      <dl className="layer-facts">
        {e.comment && (
          <>
            <dt>Made by</dt>
            <dd>
              <code>{instruction(e.createdBy) || 'no instruction recorded'}</code>
            </dd>
          </>
        )}
        <dt>Size</dt>
        <dd>
          {size(e.size)}
          {e.wasted ? ` (${size(e.wasted)} wasted)` : ''}
        </dd>
        {e.created && (
          <>
            <dt>Created</dt>
            <dd>{agoIso(e.created)}</dd>
          </>
        )}
        <dt>Diff ID</dt>
        <dd>
          <code title={e.diffId}>{e.diffId && shortDigest(e.diffId)}</code>
        </dd>
        <dt>Chain ID</dt>
        <dd>
          <code title={e.chainId}>{e.chainId && shortDigest(e.chainId)}</code>
        </dd>
        <dt>Parent</dt>
        <dd>{e.parentChainId ? <code title={e.parentChainId}>{shortDigest(e.parentChainId)}</code> : 'none: the base layer'}</dd>
        <dt>On disk</dt>
        <dd>
          <code className="path">{e.dir}</code>
        </dd>
      </dl>
      {files.error && <ErrorNote error={files.error} what="the layer’s files" />}
      {files.data ? <LayerFilesList files={files.data} label={`Files of layer ${layer}`} height={440} /> : !files.error && <Loading what="the layer’s files" />}
    </div>
  );
}

function ImageMerged({ id, focus }: { id: string; focus: number }) {
  const client = useClient();
  const load = useCallback((path: string) => client.call('image.tree', { ref: id, path }), [client, id]);
  const loadFile = useCallback((path: string) => client.call('image.file', { ref: id, path }), [client, id]);
  const [opened, setOpened] = useState<string | null>(null);
  return (
    <div className="image-merged">
      <p className="panel-lead">
        The union as a container of this image will see it. Paths from the picked layer (L{focus}) stand out.
      </p>
      <MergedTree load={load} label="Merged file tree of the image" focusLayer={focus} height={opened ? 360 : 560} testId="merged-tree" onOpen={(e) => setOpened(e.path)} opened={opened} />
      {opened && <FileDetailsPanel path={opened} load={loadFile} onClose={() => setOpened(null)} />}
    </div>
  );
}

/** `strata history`: newest step first, with the local image (if any) whose top each step is. */
function History({ stack, name }: { stack: ImageStack; name: string }) {
  const history = useQuery('image.history', { ref: stack.id });
  const steps = [...stack.entries].reverse();
  const items = history.data && history.data.length === steps.length ? history.data : undefined;
  return (
    <div>
      <CommandLine command={commands.history(name)} />
      {history.error && <ErrorNote error={history.error} what="the history" />}
      <div className="table-scroll" tabIndex={0} role="region" aria-label="History, newest step first">
      <table className="table history-table">
        <thead>
          <tr>
            <th scope="col">Layer</th>
            <th scope="col">Image</th>
            <th scope="col">Created</th>
            <th scope="col">Created by</th>
            <th scope="col" className="num">
              Size
            </th>
            <th scope="col">Comment</th>
          </tr>
        </thead>
        <tbody>
          {steps.map((e, i) => {
            const item = items?.[i];
            return (
              <tr key={i} className={e.kind === 'metadata' ? 'is-meta' : ''}>
                <th scope="row">{e.kind === 'layer' ? `L${e.layerIndex}` : <span title="metadata only: no layer">◇</span>}</th>
                <td>
                  {item && item.id !== '<missing>' ? (
                    <code title={[item.id, ...item.tags].join('\n')}>{shortId(item.id)}</code>
                  ) : (
                    <span className="muted" title="no local image has this step on top">&lt;missing&gt;</span>
                  )}
                </td>
                <td className="nowrap">{agoIso(e.created)}</td>
                <td>
                  <code className="clip" title={e.createdBy}>
                    {e.createdBy}
                  </code>
                </td>
                <td className="num">{size(e.size)}</td>
                <td>{e.comment}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
      </div>
    </div>
  );
}

function ImageInspect({ id, name }: { id: string; name: string }) {
  const q = useQuery('image.inspect', { ref: id });
  return (
    <div>
      <CommandLine command={commands.imageInspect(name)} />
      {q.error && <ErrorNote error={q.error} what="the image" />}
      {q.data ? <JsonView value={[q.data]} label="image inspect output" /> : !q.error && <Loading what="the image" />}
    </div>
  );
}
