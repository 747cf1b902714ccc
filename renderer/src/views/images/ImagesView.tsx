// `strata images` (and `-a`, with the intermediate and dangling ones), next to
// the family tree of images that share layers.

import { useState } from 'react';
import type { ImageSummary } from '../../../../engine/api';
import { ActionButton } from '../../components/ActionButton';
import { CommandLine } from '../../components/CommandLine';
import { Icon } from '../../components/Icon';
import { Empty, ErrorNote, Loading } from '../../components/Notes';
import { useActions } from '../../data/actions';
import { useClient } from '../../data/EngineContext';
import { affectsImages } from '../../data/events';
import { useQuery } from '../../data/useQuery';
import { commands, imageName } from '../../model/commands';
import { ago, repoTag, shortId, size } from '../../model/format';
import { formatRoute } from '../../app/routes';
import { useNavigate } from '../../app/navigation';
import { FamilyTree } from './FamilyTree';
import { ImageActions } from './ImageActions';
import { PullPanel } from './PullPanel';
import { LoginDialog, PullDialog } from './RegistryDialogs';
import { usePullSession } from '../../data/pullSession';

export function ImagesView({ all }: { all: boolean }) {
  const go = useNavigate();
  const list = useQuery('image.list', { all }, { refreshOn: affectsImages });
  const graph = useQuery('image.graph', {}, { refreshOn: affectsImages });
  const [hover, setHover] = useState<string | null>(null);
  const [dialog, setDialog] = useState<'pull' | 'login' | null>(null);
  const pull = usePullSession();
  const [pullHidden, setPullHidden] = useState(false);
  return (
    <div className="view">
      <header className="view-head">
        <div>
          <h1>Images</h1>
          <p className="lead">Each image is a stack of read-only layers. Images that share the bottom of their stack share those layers on disk.</p>
        </div>
      </header>
      <div className="toolbar">
        <div className="segmented" role="group" aria-label="Which images">
          <button type="button" aria-pressed={!all} onClick={() => go({ view: 'images', all: false })}>
            Top-level
          </button>
          <button type="button" aria-pressed={all} onClick={() => go({ view: 'images', all: true })}>
            All
          </button>
        </div>
        <CommandLine command={commands.images(all)} />
        <div className="toolbar-actions">
          <ActionButton
            label="Pull…"
            variant="primary"
            icon={<Icon name="create" />}
            command={commands.pull('NAME[:TAG]')}
            disabledReason={pull.state.phase === 'running' ? 'a pull is running' : undefined}
            onPress={() => setDialog('pull')}
          />
          <ActionButton label="Log in…" icon={<Icon name="tag" />} command={commands.login('', '')} onPress={() => setDialog('login')} />
        </div>
      </div>
      {dialog === 'pull' && (
        <PullDialog
          onClose={() => setDialog(null)}
          onPull={(reference, platform) => {
            setPullHidden(false);
            pull.start(reference, platform);
          }}
        />
      )}
      {dialog === 'login' && <LoginDialog onClose={() => setDialog(null)} />}
      {pull.state.phase !== 'idle' && !pullHidden && <PullPanel state={pull.state} onCancel={pull.cancel} onClose={() => setPullHidden(true)} />}
      {list.error && <ErrorNote error={list.error} what="images" />}
      {!list.data && !list.error && <Loading what="images" />}
      {list.data && list.data.length === 0 && <StarterOffer />}
      {list.data && list.data.length > 0 && <ImageTable images={list.data} onHover={setHover} highlight={hover} />}
      <section className="panel family-panel" aria-labelledby="family-title">
        <h2 id="family-title">Family tree</h2>
        <p className="panel-lead">Which image is built on which: a child has all of its parent’s layers at the bottom of its own stack.</p>
        {graph.error && <ErrorNote error={graph.error} what="the family tree" />}
        {graph.data && graph.data.nodes.length > 0 && <FamilyTree nodes={graph.data.nodes} highlight={hover} onHover={setHover} />}
      </section>
    </div>
  );
}

function ImageTable({ images, highlight, onHover }: { images: ImageSummary[]; highlight: string | null; onHover(id: string | null): void }) {
  const go = useNavigate();
  // One row per tag, as `docker images` prints them; untagged images once, as <none>.
  const rows = images.flatMap((i) => (i.repoTags.length ? i.repoTags : [undefined]).map((tag) => ({ image: i, tag })));
  return (
    <div className="table-wrap">
      <table className="table" data-testid="image-list">
        <thead>
          <tr>
            <th scope="col">Repository</th>
            <th scope="col">Tag</th>
            <th scope="col">Image ID</th>
            <th scope="col">Created</th>
            <th scope="col" className="num">
              Size
            </th>
            <th scope="col" className="num">
              Layers
            </th>
            <th scope="col" className="num">
              Containers
            </th>
            <th scope="col">Actions</th>
          </tr>
        </thead>
        <tbody>
          {rows.map(({ image, tag }) => {
            const rt = repoTag(tag);
            const route = { view: 'image' as const, id: image.id, tab: 'files' as const };
            const name = tag ?? imageName(image.id);
            return (
              <tr
                key={`${image.id} ${tag ?? ''}`}
                className={`${highlight === image.id ? 'is-hot' : ''} ${tag ? '' : 'is-untagged'}`}
                onMouseEnter={() => onHover(image.id)}
                onMouseLeave={() => onHover(null)}
              >
                <th scope="row">
                  <a
                    href={formatRoute(route)}
                    onClick={(e) => {
                      e.preventDefault();
                      go(route);
                    }}
                  >
                    {rt.repository}
                  </a>
                </th>
                <td>{rt.tag}</td>
                <td>
                  <code>{shortId(image.id)}</code>
                </td>
                <td className="nowrap">{ago(image.created)}</td>
                <td className="num">{size(image.size)}</td>
                <td className="num">{image.layers}</td>
                <td className="num">{image.containers}</td>
                <td>
                  <ImageActions image={{ id: image.id, name }} />
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

/**
 * An empty store: offer the starter image, made from this machine's own programs
 * (`strata bootstrap`), saying first where they come from and, without busybox,
 * what the image will lack and the one command that fixes it.
 */
function StarterOffer() {
  const client = useClient();
  const { run } = useActions();
  const [busy, setBusy] = useState(false);
  const source = useQuery('image.starterSource', {});
  return (
    <Empty>
      <p>No images yet. A container needs an image: a stack of read-only layers to start from.</p>
      <ActionButton
        label="Make the starter image"
        variant="primary"
        icon={<Icon name="create" />}
        command="strata bootstrap"
        busy={busy}
        onPress={async () => {
          setBusy(true);
          await run('strata bootstrap', () => client.call('image.bootstrap', {}), (r) => r.reference);
          setBusy(false);
        }}
      />
      {source.data ? (
        <>
          <p className="field-hint">One layer holding {source.data.detail}, copied from this machine.</p>
          {source.data.warning ? (
            <p className="note starter-warning" role="note" data-testid="starter-warning">
              {source.data.warning}
            </p>
          ) : null}
        </>
      ) : source.error ? (
        <ErrorNote error={source.error} what="where the starter image comes from" />
      ) : null}
    </Empty>
  );
}
