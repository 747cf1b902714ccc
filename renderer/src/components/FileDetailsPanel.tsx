// A file of a merged view in detail, as a click on it shows: which layer it
// comes from and where that layer keeps it on the host, what it hides in the
// layers below (each copy's host path), its mode and owner, and its first
// bytes. A path only the writable layer has is said to be "in no image
// layer", with the `find` that proves it: the classic experiment, answered.

import { useEffect, useState } from 'react';
import type { FileCopy, FileDetails, LayerRef } from '../../../engine/api';
import type { EngineError } from '../../../engine/errors';
import { commandLine } from '../model/commands';
import { permissions, preview } from '../model/filePreview';
import { size } from '../model/format';
import { layerName, layerTag } from '../model/mergedTree';
import { CommandLine, CopyButton } from './CommandLine';
import { FileIcon } from './Marks';
import { ErrorNote, Loading } from './Notes';

const chipClass = (ref: LayerRef) => (ref === 'rw' ? 'chip-rw' : ref === 'init' ? 'chip-init' : 'chip-ro');

function Chip({ layer }: { layer: LayerRef }) {
  return <span className={`chip ${chipClass(layer)}`}>{layerTag(layer)}</span>;
}

function HostPath({ path, what }: { path: string; what: string }) {
  return (
    <span className="path-cell">
      <code className="path">{path}</code>
      <CopyButton text={path} label={`Copy the host path of ${what}`} />
    </span>
  );
}

/** Where the file stands in the stack, in one sentence a learner can check. */
function Standing({ d, root }: { d: FileDetails; root?: string }) {
  const imageCopies = d.hides.filter((h) => typeof h.layer === 'number');
  if (d.deleted) {
    return (
      <p className="standing standing-deleted">
        <strong>Deleted</strong> by {layerName(d.layer)}: a whiteout there hides {imageCopies.length ? `the copy in ${imageCopies.map((h) => layerName(h.layer)).join(', ')}` : 'it'}. A
        container does not see it, yet the copy below is still in its layer, untouched.
      </p>
    );
  }
  if (d.layer === 'rw' && imageCopies.length === 0 && d.mergedWith.every((l) => typeof l !== 'number')) {
    return (
      <div className="standing standing-rw" data-testid="in-no-image-layer">
        <p>
          <strong>In the writable layer only: in no image layer.</strong> The container made it; the image’s layers do not have {d.path}. It
          stays in this directory on the host after the container stops, until the container is removed.
        </p>
        {root && (
          <>
            <span className="standing-find">Find it on the host: it turns up here, in no layer directory.</span>
            <CommandLine command={commandLine(['find', root, '-name', d.name])} />
          </>
        )}
      </div>
    );
  }
  if (d.layer === 'rw') {
    return (
      <p className="standing standing-rw">
        <strong>Changed in the writable layer.</strong> The container’s write copied it up from {imageCopies.map((h) => layerName(h.layer)).join(', ')}: that copy is
        untouched, hidden below this one.
      </p>
    );
  }
  return (
    <p className="standing">
      From <strong>{layerName(d.layer)}</strong>
      {d.hides.length ? `, hiding the copy in ${d.hides.map((h) => layerName(h.layer)).join(', ')}` : ''}.
    </p>
  );
}

function Content({ d }: { d: FileDetails }) {
  if (!d.preview) return null;
  const p = preview(d.preview.data);
  const shown = d.preview.data.length;
  return (
    <section className="file-content" aria-label={`Content of ${d.name}`}>
      <h4>
        Content{d.preview.truncated ? ` (the first ${size(shown)} of ${size(d.size)})` : ''}
        {p.kind === 'binary' && `: binary${p.what ? `, ${p.what}` : ''}`}
      </h4>
      {shown === 0 ? (
        <p className="muted">Empty: 0 bytes.</p>
      ) : (
        <pre className="file-preview" tabIndex={0}>
          {p.kind === 'text' ? p.text : p.hex.join('\n')}
        </pre>
      )}
    </section>
  );
}

function Hidden({ copies }: { copies: readonly FileCopy[] }) {
  if (copies.length === 0) return null;
  return (
    <>
      <dt>Hides</dt>
      <dd>
        <ul className="hidden-copies">
          {copies.map((h) => (
            <li key={String(h.layer)}>
              <Chip layer={h.layer} /> {h.type === 'file' ? size(h.size) : h.type}
              <HostPath path={h.hostPath} what={`the copy in ${layerName(h.layer)}`} />
            </li>
          ))}
        </ul>
      </dd>
    </>
  );
}

export function FileDetailsPanel({ path, load, version, root, onClose }: {
  path: string;
  load(path: string): Promise<FileDetails>;
  /** Changes when the view may have changed (a container wrote): the details are read again. */
  version?: string;
  /** The engine root, for the `find` of the classic experiment. */
  root?: string;
  onClose(): void;
}) {
  const [state, setState] = useState<{ path: string; details?: FileDetails; error?: EngineError }>({ path });
  useEffect(() => {
    let live = true;
    load(path).then(
      (details) => live && setState({ path, details }),
      (error: EngineError) => live && setState({ path, error }),
    );
    return () => {
      live = false;
    };
  }, [path, load, version]);
  const d = state.path === path ? state.details : undefined;
  const error = state.path === path ? state.error : undefined;
  return (
    <section className="file-details" aria-labelledby="file-details-title" data-testid="file-details">
      <div className="section-head">
        <h3 id="file-details-title">
          {d && <FileIcon type={d.deleted ? 'whiteout' : d.type} />} <span className="mono">{path}</span>
        </h3>
        <button type="button" className="btn btn-quiet btn-small" onClick={onClose}>
          Close
        </button>
      </div>
      {error && <ErrorNote error={error} what={path} />}
      {!d && !error && <Loading what={path} />}
      {d && (
        <>
          <Standing d={d} root={root} />
          <dl className="file-facts">
            <dt>{d.deleted ? 'Whiteout' : 'From'}</dt>
            <dd>
              <Chip layer={d.layer} /> {layerName(d.layer)}
            </dd>
            <dt>On the host</dt>
            <dd>
              <HostPath path={d.hostPath} what={d.name} />
            </dd>
            <Hidden copies={d.hides} />
            {!d.deleted && (
              <>
                <dt>Type</dt>
                <dd>
                  {d.type === 'file' ? `file, ${size(d.size)}` : d.type === 'symlink' ? `symbolic link to ${d.linkTarget ?? '?'}` : d.type === 'dir' ? 'directory' : 'special file'}
                </dd>
                <dt>Mode</dt>
                <dd>
                  <code>{permissions(d.mode)}</code> <span className="muted">owner {d.uid}, group {d.gid}</span>
                </dd>
                <dt>Modified</dt>
                <dd>{new Date(d.modified).toLocaleString()}</dd>
              </>
            )}
          </dl>
          <Content d={d} />
        </>
      )}
    </section>
  );
}
