// `strata images` (and `-a`, with the intermediate and dangling ones), next to
// the family tree of images that share layers.

import { useMemo, useState } from 'react';
import type { ImageSummary } from '../../../../engine/api';
import { ActionButton } from '../../components/ActionButton';
import { CommandLine } from '../../components/CommandLine';
import { Icon } from '../../components/Icon';
import { Empty, ErrorNote, Loading } from '../../components/Notes';
import { affectsImages } from '../../data/events';
import { useQuery } from '../../data/useQuery';
import { commands, imageName } from '../../model/commands';
import { repoTag, shortId, size } from '../../model/format';
import { Created } from './Created';
import { formatRoute } from '../../app/routes';
import { useNavigate } from '../../app/navigation';
import { FamilyTree } from './FamilyTree';
import { ImageActions } from './ImageActions';
import { GetImage } from './GetImage';
import { PruneDialog } from './PruneDialog';
import { PullPanel } from './PullPanel';
import { LoginDialog, PullDialog } from './RegistryDialogs';
import { ImportDialog, LoadDialog } from './UploadDialogs';
import { usePullSession } from '../../data/pullSession';

export function ImagesView({ all }: { all: boolean }) {
  const go = useNavigate();
  const top = useQuery('image.list', { all: false }, { refreshOn: affectsImages });
  const every = useQuery('image.list', { all: true }, { refreshOn: affectsImages });
  const list = all ? every : top;
  const graph = useQuery('image.graph', {}, { refreshOn: affectsImages });
  const [hover, setHover] = useState<string | null>(null);
  const [dialog, setDialog] = useState<'load' | 'import' | 'prune' | 'pull' | 'login' | null>(null);
  const pull = usePullSession();
  // The tree draws what the list lists: intermediate images only with All.
  const shown = useMemo(() => new Set(list.data?.map((i) => i.id)), [list.data]);
  const nodes = useMemo(() => graph.data?.nodes.filter((n) => shown.has(n.id)) ?? [], [graph.data, shown]);
  const hidden = top.data && every.data ? every.data.length - top.data.length : undefined;
  return (
    <div className="view">
      <header className="view-head">
        <div>
          <h1>Images</h1>
          <p className="lead">Each image is a stack of read-only layers. Images that share the bottom of their stack share those layers on disk.</p>
        </div>
        <div className="head-actions">
          <ActionButton
            label="Pull…"
            variant="primary"
            icon={<Icon name="create" />}
            command={commands.pull('NAME[:TAG]')}
            disabledReason={pull.state.phase === 'running' ? 'a pull is running' : undefined}
            onPress={() => setDialog('pull')}
          />
          <ActionButton label="Load…" icon={<Icon name="save" />} command={commands.load('FILE.tar')} onPress={() => setDialog('load')} />
          <ActionButton label="Import…" icon={<Icon name="export" />} command={commands.import('FILE.tar')} onPress={() => setDialog('import')} />
          <ActionButton label="Log in…" icon={<Icon name="tag" />} command={commands.login('', '')} onPress={() => setDialog('login')} />
          <ActionButton label="Prune…" icon={<Icon name="remove" />} command={commands.imagePrune(false)} onPress={() => setDialog('prune')} />
        </div>
      </header>
      <div className="toolbar">
        <div className="segmented" role="group" aria-label="Which images">
          <button type="button" aria-pressed={!all} onClick={() => go({ view: 'images', all: false })}>
            Top-level{top.data ? ` (${top.data.length})` : ''}
          </button>
          <button type="button" aria-pressed={all} onClick={() => go({ view: 'images', all: true })}>
            All{every.data ? ` (${every.data.length})` : ''}
          </button>
        </div>
        <CommandLine command={commands.images(all)} />
      </div>
      {hidden !== undefined && <AllExplained all={all} hidden={hidden} />}
      {pull.state.phase !== 'idle' && pull.shown && <PullPanel state={pull.state} onCancel={pull.cancel} onClose={pull.hide} />}
      {list.error && <ErrorNote error={list.error} what="images" />}
      {!list.data && !list.error && <Loading what="images" />}
      {list.data && list.data.length === 0 && (
        <Empty>
          <GetImage headingLevel={2} />
        </Empty>
      )}
      {list.data && list.data.length > 0 && <ImageTable images={list.data} onHover={setHover} highlight={hover} />}
      <section className="panel family-panel" aria-labelledby="family-title">
        <h2 id="family-title">Family tree</h2>
        <p className="panel-lead">Which image is built on which: a child has all of its parent’s layers at the bottom of its own stack.</p>
        {graph.error && <ErrorNote error={graph.error} what="the family tree" />}
        {nodes.length > 0 && <FamilyTree nodes={nodes} highlight={hover} onHover={setHover} />}
      </section>
      {dialog === 'load' && <LoadDialog onClose={() => setDialog(null)} />}
      {dialog === 'import' && <ImportDialog onClose={() => setDialog(null)} onImported={(id) => go({ view: 'image', id, tab: 'files' })} />}
      {dialog === 'prune' && <PruneDialog onClose={() => setDialog(null)} />}
      {dialog === 'pull' && <PullDialog onClose={() => setDialog(null)} onPull={(reference, platform) => void pull.start(reference, platform)} />}
      {dialog === 'login' && <LoginDialog onClose={() => setDialog(null)} />}
    </div>
  );
}

function ImageTable({ images, highlight, onHover }: { images: ImageSummary[]; highlight: string | null; onHover(id: string | null): void }) {
  const go = useNavigate();
  // One row per tag, as `docker images` prints them; untagged images once, as <none>.
  const rows = images.flatMap((i) => (i.repoTags.length ? i.repoTags : [undefined]).map((tag) => ({ image: i, tag })));
  return (
    <div className="table-wrap">
      <table className="table image-table" data-testid="image-list">
        <thead>
          <tr>
            <th scope="col">Repository</th>
            <th scope="col">Tag</th>
            <th scope="col">Image ID</th>
            <th scope="col">Created</th>
            <th scope="col" className="num">
              Size
            </th>
            <th scope="col" className="num col-layers">
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
                    className="clip clip-repo"
                    title={rt.repository}
                    href={formatRoute(route)}
                    onClick={(e) => {
                      e.preventDefault();
                      go(route);
                    }}
                  >
                    {rt.repository}
                  </a>
                </th>
                <td>
                  <span className="clip clip-tag" title={rt.tag}>
                    {rt.tag}
                  </span>
                </td>
                <td>
                  <code>{shortId(image.id)}</code>
                </td>
                <td className="nowrap">
                  <Created created={image.created} added={image.added} />
                </td>
                <td className="num">{size(image.size)}</td>
                <td className="num col-layers">{image.layers}</td>
                <td className="num">{image.containers}</td>
                <td>
                  <ImageActions image={{ id: image.id, name }} compact />
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

/** What `images -a` adds, in words: the toggle alone changes nothing visible when there is nothing to add. */
function AllExplained({ all, hidden }: { all: boolean; hidden: number }) {
  const what = 'intermediate images: the untagged image of each build step, which a later step (or image) is built on';
  return (
    <p className="all-explained" data-testid="all-explained">
      {all
        ? hidden > 0
          ? `All shows ${hidden} more than Top-level: ${what}. They are the build cache; removing the image on top removes them too.`
          : `All adds ${what}. There are none now: every image here is tagged, or no image is built on it.`
        : hidden > 0
          ? `${hidden} intermediate image${hidden === 1 ? ' is' : 's are'} not listed: untagged build steps other images are built on. All lists them (strata images -a).`
          : 'Top-level: tagged images and the untagged ones no image is built on. All (strata images -a) would add intermediate build steps; there are none now.'}
    </p>
  );
}
