// A pull, drawn as the stack it brings: the image's layers bottom to top,
// each a slab whose fill grows with its bytes (downloading, then
// extracting), with its speed and Docker's state; a layer the store has
// already is drawn as the block the other images share (it is not
// downloaded again: layers are shared by content), and a slab turns solid
// when its layer is in the store, so the stack grows from the bottom up.

import { scaleLinear } from 'd3';
import type { PullLayerState, PullState } from '../../model/pullProgress';
import { layerStage } from '../../model/pullProgress';
import { explainRegistryError, registryOf } from '../../model/registryErrors';
import { commands } from '../../model/commands';
import { instruction, shortDigest, shortId, size } from '../../model/format';
import { CommandLine } from '../../components/CommandLine';

const stageWords = {
  shared: 'Already exists',
  done: 'Pull complete',
  extracting: 'Extracting',
  downloading: 'Downloading',
  waiting: 'Waiting',
} as const;

export function PullPanel({ state, onCancel, onClose }: { state: PullState; onCancel(): void; onClose(): void }) {
  const image = state.image;
  const layers = image?.layers ?? [];
  const done = layers.filter((l) => layerStage(l) === 'done' || layerStage(l) === 'shared').length;
  const running = state.phase === 'running';
  const explained = state.error ? explainRegistryError(state.error.code, registryOf(state.reference)) : null;
  return (
    <section className="panel pull-panel" aria-labelledby="pull-title" data-testid="pull-panel" data-phase={state.phase}>
      <header className="pull-head">
        <div>
          <h2 id="pull-title">
            {running ? 'Pulling' : state.phase === 'pulled' ? 'Pulled' : state.phase === 'cancelled' ? 'Pull cancelled' : 'Pull failed'} <code>{state.reference}</code>
          </h2>
          <p className="panel-lead">
            {image
              ? `${layers.length} layer${layers.length === 1 ? '' : 's'} for ${image.platform}; ${done} in the store. Each layer is downloaded compressed, checked against its digest, then unpacked on top of the one below.`
              : running
                ? 'Asking the registry for the image’s manifest…'
                : 'No image came from the registry: nothing was downloaded or changed.'}
          </p>
        </div>
        <div className="pull-buttons">
          {running ? (
            <button type="button" className="btn" onClick={onCancel}>
              Cancel
            </button>
          ) : (
            <button type="button" className="btn btn-quiet" onClick={onClose}>
              Close
            </button>
          )}
        </div>
      </header>
      {explained && (
        <div className="note note-error" role="alert" data-testid="pull-error">
          <strong>{explained.title}.</strong> {explained.advice}
          <p className="pull-error-raw">
            <code>{state.error!.message}</code>
          </p>
          <CommandLine command={state.error!.code === 'Unauthorized' ? commands.login(registryOf(state.reference), '') : commands.pull(state.reference, state.platform)} />
        </div>
      )}
      {image && (
        <ol className="pull-stack" aria-label={`Layers of ${image.reference}, top first`} data-testid="pull-stack">
          {[...layers].reverse().map((l, i) => (
            <PullSlab key={`${l.digest}-${i}`} layer={l} index={layers.length - 1 - i} />
          ))}
        </ol>
      )}
      {image && <p className="stack-base" aria-hidden="true">scratch: the empty base</p>}
      {state.pulled.length > 0 && (
        <p className="pull-result" data-testid="pull-result">
          {state.pulled.map((p) => `${p.reference} → ${shortId(p.imageId)}${p.upToDate ? ' (already up to date)' : ''}`).join(' · ')}
        </p>
      )}
    </section>
  );
}

function PullSlab({ layer, index }: { layer: PullLayerState; index: number }) {
  const stage = layerStage(layer);
  const fill = scaleLinear().domain([0, Math.max(1, layer.total)]).range([0, 100]).clamp(true);
  const percent = stage === 'shared' || stage === 'done' ? 100 : fill(layer.current);
  const what = instruction(layer.createdBy) || 'no instruction recorded';
  return (
    <li
      className={`pull-slab stage-${stage}`}
      data-testid={`pull-layer-${index}`}
      data-stage={stage}
      aria-label={`Layer ${index}: ${stageWords[stage]}${stage === 'shared' ? `, shared with ${layer.sharedWith.join(', ') || 'another image'}` : ''}`}
    >
      <span className="slab-index" aria-hidden="true">
        L{index}
      </span>
      <span className="pull-slab-main">
        <span className="slab-title" title={layer.createdBy}>
          {what}
        </span>
        <span className="slab-sub">
          <code title={`blob ${layer.digest}`}>{shortDigest(layer.digest)}</code>
          <strong className="pull-state">{layer.status === 'Queued' ? 'Waiting' : layer.status}</strong>
          {stage === 'downloading' || stage === 'extracting' ? (
            <span className="pull-bytes">
              {size(layer.current)} / {size(layer.total)}
              {layer.bytesPerSecond > 0 && stage === 'downloading' ? ` · ${size(layer.bytesPerSecond)}/s` : ''}
            </span>
          ) : (
            <span className="pull-bytes">{size(layer.size)} compressed</span>
          )}
        </span>
        {stage === 'shared' && (
          <span className="pull-shared" data-testid="shared-note">
            shared with {layer.sharedWith.length ? layer.sharedWith.join(', ') : 'an image already here'}: the same layer on disk, not downloaded again
          </span>
        )}
      </span>
      <span className="pull-meter" aria-hidden="true">
        <span className="pull-meter-fill" style={{ width: `${percent}%` }} />
      </span>
    </li>
  );
}
