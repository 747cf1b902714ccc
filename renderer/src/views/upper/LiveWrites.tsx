// Copy-up and whiteouts as they happen: while the container exists, each
// change to its writable layer (from the app's terminal, `strata exec` in
// another shell, or the process itself) drops into the writable band; a
// copy-up or a whiteout also marks, in the image band below, the layer whose
// copy it now hides. Fed by container.upperChanges only.

import { useEffect, useState } from 'react';
import type { StackEntry } from '../../../../engine/api';
import { useClient } from '../../data/EngineContext';
import { actionGlyph, actionWords, addChange, emptyWrites, layerOfChain } from '../../model/upperChanges';

const hides = (action: string) => action === 'copied-up' || action === 'whiteout' || action === 'opaque';

export function LiveWrites({ id, entries }: { id: string; entries: readonly StackEntry[] }) {
  const client = useClient();
  const [live, setLive] = useState(emptyWrites);
  // Why the stream ended: '' when the container went away, else the engine's words.
  const [ended, setEnded] = useState<string | null>(null);

  useEffect(() => {
    setLive(emptyWrites());
    setEnded(null);
    const handle = client.open('container.upperChanges', { id }, {
      onMessage: (c) => setLive((s) => addChange(s, c)),
      onEnd: (error) => setEnded(error?.message ?? ''),
    });
    return () => handle.close();
    // The stream lives as long as the view of this container: a re-read of its layers does not restart it.
  }, [client, id]);

  const { writes, tally } = live;
  /** Where the hidden copy is: an image layer (L0…), or the container's init layer (mount points). */
  const layerIn = (hides: string | undefined) => {
    const layer = layerOfChain(entries, hides);
    if (layer !== undefined) return ` in L${layer}`;
    return hides?.endsWith('-init') ? ' in the init layer' : '';
  };
  return (
    <section className="livewrites" data-testid="live-writes" aria-label="Writes to the writable layer, live">
      <header className="livewrites-head">
        <span className="livewrites-title">Live writes</span>
        <span className="livewrites-tally">
          {Object.entries(tally)
            .filter(([, n]) => n > 0)
            .map(([a, n]) => `${n} ${a}`)
            .join(' · ') || (ended === null ? 'waiting for a write…' : ended === '' ? 'the container is gone' : '')}
        </span>
      </header>
      {/* Two bands side by side: what lands in the writable layer, and what that does to the image's copy below. */}
      <div className="livewrites-grid" role="table" aria-label="Each write: the writable layer, and the image layers below it">
        <div role="row" className="livewrites-row livewrites-labels">
          <span role="columnheader" className="band-label">
            writable layer
          </span>
          <span role="columnheader" className="band-label">
            image layers below
          </span>
        </div>
        {writes.map((w) => (
          <div role="row" key={w.key} className="livewrites-row">
            <span role="cell" className={`chip chip-${w.action}`} data-action={w.action} data-path={w.path} title={`${w.path}: ${actionWords[w.action]}`}>
              <span className="chip-glyph" aria-hidden="true">
                {actionGlyph[w.action]}
              </span>{' '}
              <code>{w.path}</code>
              <span className="offscreen">: {actionWords[w.action]}</span>
            </span>
            <span role="cell" className={`chip chip-lower ${hides(w.action) ? 'is-hidden' : 'is-none'}`}>
              {hides(w.action) ? (
                <>
                  <code>{w.path}</code>
                  {layerIn(w.hides)} <span className="chip-note">hidden, unchanged</span>
                </>
              ) : (
                <span className="chip-note">{w.action === 'added' ? 'no copy here' : '—'}</span>
              )}
            </span>
          </div>
        ))}
      </div>
      {ended && <p className="note note-error">Not following its writes: {ended}</p>}
      {live.unwatched.map((u) => (
        <p key={u.path} className="note">
          Changes below <code>{u.path}</code> are no longer followed ({u.reason}); the Files tab’s diff still shows them.
        </p>
      ))}
    </section>
  );
}
