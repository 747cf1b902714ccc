// The tour's card: the step's idea in words filled with what the engine
// answered, the commands it ran, where to look (a ring on the drawing), and
// the ways to move: buttons, and keys that work from anywhere but a field.

import { useEffect, useState } from 'react';
import { CommandLine } from '../components/CommandLine';
import { keyAction, stepIds } from './model';
import { steps } from './steps';
import { fill, stepText } from './text';
import { useTour } from './TourContext';
import { Pointer } from './Pointer';
import { isTyping } from '../app/keyboard';

export function TourPanel() {
  const tour = useTour();
  const { state, text } = tour;
  const id = stepIds[state.index];
  const record = state.records[id];
  const words = stepText(text, id);

  useEffect(() => {
    if (!tour.open) return;
    const onKey = (e: KeyboardEvent) => {
      if (isTyping(e.target) || e.altKey || e.ctrlKey || e.metaKey) return;
      const action = keyAction(e.key);
      if (!action) return;
      e.preventDefault();
      if (action === 'next') tour.next();
      else if (action === 'back') tour.back();
      else if (action === 'replay') tour.replay();
      else if (action === 'restart') tour.restart();
      else tour.leave();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [tour]);

  if (!tour.open) return null;
  const ui = text.ui;
  const running = record.status === 'running';
  return (
    <aside className="tour" aria-label={ui.title} data-testid="tour" data-step={id} data-status={record.status} data-runs={record.runs}>
      {tour.consent.phase === 'ask' ? (
        <div className="tour-consent" role="alertdialog" aria-labelledby="tour-consent-title">
          <h2 id="tour-consent-title">{ui.previousTitle}</h2>
          <p>
            {fill(ui.previousBody, { count: String(tour.consent.objects.length), names: tour.consent.objects.map((o) => o.name).join(', ') })}
          </p>
          <div className="tour-buttons">
            <button type="button" className="btn btn-danger" onClick={() => tour.answer(true)}>
              {ui.previousRemove}
            </button>
            <button type="button" className="btn" onClick={() => tour.answer(false)}>
              {ui.previousKeep}
            </button>
          </div>
        </div>
      ) : (
        <>
          <p className="tour-count">
            {fill(ui.stepOf, { n: String(state.index + 1), total: String(stepIds.length) })}
            {tour.consent.phase === 'settled' && tour.consent.kept && state.index === 0 && (
              <span className="tour-kept"> · {fill(ui.previousKeptNote, { example: tour.names.box })}</span>
            )}
          </p>
          <h2 className="tour-title">{words.title}</h2>
          {running ? (
            <p className="tour-body">{ui.running}</p>
          ) : (
            !record.facts.needsRegistry && <p className="tour-body">{fill(words.body, record.facts)}</p>
          )}
          {record.status === 'failed' && (
            <p className="note note-error" role="alert">
              {fill(ui.failed, { message: record.error ?? '' })}
            </p>
          )}
          <StepExtras />
          {record.commands.length > 0 && (
            <div className="tour-commands">
              <h3>{ui.ran}</h3>
              <ol data-testid="tour-commands">
                {record.commands.map((c, i) => (
                  <li key={i} className={`tour-command is-${c.status}`}>
                    <CommandLine command={c.command} className="tour-command-line" />
                  </li>
                ))}
              </ol>
            </div>
          )}
          <p className="tour-look">
            <span className="tour-look-label">{ui.look}:</span> {words.look}
          </p>
        </>
      )}
      <footer className="tour-nav">
        <div className="tour-buttons">
          <button type="button" className="btn" onClick={tour.back} disabled={state.index === 0 || running}>
            ← {ui.back}
          </button>
          <button type="button" className="btn" onClick={tour.replay} disabled={running || tour.consent.phase !== 'settled'}>
            {ui.replay}
          </button>
          <button type="button" className="btn btn-primary" onClick={tour.next} disabled={state.index === stepIds.length - 1 || running}>
            {ui.next} →
          </button>
        </div>
        <div className="tour-buttons tour-buttons-quiet">
          <button type="button" className="btn btn-quiet btn-small" onClick={tour.restart} disabled={running}>
            {ui.restart}
          </button>
          <button type="button" className="btn btn-quiet btn-small" onClick={tour.leave}>
            {ui.leave}
          </button>
        </div>
        <p className="tour-keys">{ui.keys}</p>
      </footer>
      {!running && tour.consent.phase === 'settled' && <Pointer selector={steps[state.index].target} label={words.look} />}
    </aside>
  );
}

/** What some steps show besides their words: the two archives, the registry and each layer's fate. */
function StepExtras() {
  const tour = useTour();
  const id = stepIds[tour.state.index];
  const { facts, status } = tour.state.records[id];
  const ui = tour.text.ui;
  const [address, setAddress] = useState(tour.registry || '127.0.0.1:5000');
  if (id === 'saveExport' && status === 'done') {
    const saved = JSON.parse(facts.saved ?? '[]') as string[];
    const exported = JSON.parse(facts.exported ?? '[]') as string[];
    return (
      <div className="tour-archives" data-testid="tour-archives">
        {[
          { title: ui.archivesSave, list: saved, testId: 'archive-save' },
          { title: ui.archivesExport, list: exported, testId: 'archive-export' },
        ].map((a) => (
          <section key={a.testId} data-testid={a.testId}>
            <h3>{a.title}</h3>
            <p className="tour-count">{fill(ui.entries, { count: String(a.list.length) })}</p>
            <ul>
              {a.list.slice(0, 12).map((n) => (
                <li key={n}>
                  <code>{n}</code>
                </li>
              ))}
              {a.list.length > 12 && <li>…</li>}
            </ul>
          </section>
        ))}
      </div>
    );
  }
  if (id === 'pull') {
    const statuses = JSON.parse(facts.statuses ?? '[]') as [string, string][];
    return (
      <div className="tour-pull" data-testid="tour-pull">
        <form
          className="tour-registry"
          onSubmit={(e) => {
            e.preventDefault();
            tour.setRegistry(address);
            tour.replay();
          }}
        >
          <label>
            {ui.registry} <input value={address} onChange={(e) => setAddress(e.target.value)} spellCheck={false} />
          </label>
          <button type="submit" className="btn btn-small" disabled={status === 'running'}>
            {ui.registryCheck}
          </button>
        </form>
        {status === 'done' && facts.needsRegistry && (
          <p className="note" data-testid="needs-registry">
            {fill(ui.needsRegistry, { registry: tour.registry || address })}
            {facts.registryError && <span className="tour-error"> ({facts.registryError})</span>}
          </p>
        )}
        {statuses.length > 0 && (
          <ul className="tour-layers">
            {statuses.map(([layer, s]) => (
              <li key={layer}>
                <code>{layer}</code> {s}
              </li>
            ))}
          </ul>
        )}
      </div>
    );
  }
  if (id === 'happiness' && status === 'done' && facts.hostPath) {
    return (
      <p className="tour-by-hand">
        <span className="tour-look-label">By hand, on the host:</span> <code>find {facts.root} -name happiness.txt</code> → <code>{facts.hostPath}</code>
      </p>
    );
  }
  return null;
}
