// The bottom strip: what the hovered button would run, then what ran, each
// line a command a person can copy into a terminal and get the same result.
// The history outlives a reload; "Copy all" gives every command, oldest
// first, as lines for a terminal or a lesson's notes.

import { useEffect, useReducer, useState } from 'react';
import { CommandLine, CopyButton } from '../components/CommandLine';
import { useActions, type ActionEntry } from '../data/actions';
import { allCommands } from '../model/commandHistory';

function elapsed(e: ActionEntry): string {
  if (e.status === 'interrupted' && e.ended === undefined) return 'outcome not seen';
  const ms = (e.ended ?? Date.now()) - e.started;
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`;
}

const statusWord = { running: 'running', done: 'done', failed: 'failed', interrupted: 'interrupted' } as const;
const statusGlyph = { running: '…', done: '✓', failed: '✕', interrupted: '?' } as const;

function Outcome({ e }: { e: ActionEntry }) {
  return (
    <>
      <span className={`run-status run-${e.status}`}>
        <span aria-hidden="true">{statusGlyph[e.status]} </span>
        {statusWord[e.status]} · {elapsed(e)}
      </span>
      {e.message && <span className={`strip-message ${e.status === 'failed' ? 'is-error' : ''}`}>{e.message}</span>}
    </>
  );
}

export function CommandStrip() {
  const { entries, preview } = useActions();
  const [open, setOpen] = useState(false);
  const latest = entries[0];
  // While something runs, its elapsed time counts up: long work shows it is still working.
  const [, tick] = useReducer((n: number) => n + 1, 0);
  const running = entries.some((e) => e.status === 'running');
  useEffect(() => {
    if (!running) return;
    const timer = setInterval(tick, 100);
    return () => clearInterval(timer);
  }, [running]);
  return (
    <section className={`strip ${open ? 'strip-open' : ''}`} aria-label="Commands">
      <div className="strip-main">
        {/* The hovered button's command covers the last one rather than replacing it: the strip keeps its
            height, so the page above never moves under the pointer. */}
        <div className={`strip-now ${preview ? 'is-covered' : ''}`} aria-hidden={preview ? true : undefined}>
          <span className="strip-label">{latest ? 'Last command' : 'Commands'}</span>
          {latest ? (
            <div className="strip-latest" aria-live="polite">
              <CommandLine command={latest.command} className="strip-command" />
              <Outcome e={latest} />
            </div>
          ) : (
            <span className="strip-hint">Every button here is a strata command: hover one to see which.</span>
          )}
        </div>
        {preview && (
          <div className="strip-preview-line">
            <span className="strip-label">This equals</span>
            <CommandLine command={preview} className="strip-command strip-preview" />
          </div>
        )}
        {entries.length > 0 && (
          <span className="strip-tools">
            <CopyButton text={allCommands(entries)} label={`Copy all ${entries.length} commands`} caption="Copy all" />
            {entries.length > 1 && (
              <button type="button" className="btn btn-quiet btn-small" aria-expanded={open} onClick={() => setOpen(!open)}>
                {open ? 'Hide history' : `History (${entries.length})`}
              </button>
            )}
          </span>
        )}
      </div>
      {open && (
        <ol className="strip-history" aria-label="Command history, newest first">
          {entries.slice(1).map((e) => (
            <li key={e.id}>
              <CommandLine command={e.command} className="strip-command" />
              <Outcome e={e} />
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
