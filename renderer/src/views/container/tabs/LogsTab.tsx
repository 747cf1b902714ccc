// Logs: the container's output as the json-file log keeps it, followed live
// while it runs, searchable, each line marked out or err (a word, not only
// a colour). Long logs stay smooth: only the lines on screen are drawn.

import { useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import type { LogLine } from '../../../../../engine/api';
import { CommandLine } from '../../../components/CommandLine';
import { VirtualList } from '../../../components/VirtualList';
import { useClient } from '../../../data/EngineContext';
import { commands } from '../../../model/commands';

interface Line {
  n: number;
  stream: 'stdout' | 'stderr';
  time: string;
  text: string;
}

const maxLines = 50_000;
const rowHeight = 26;

export function LogsTab({ id, startedAt, running }: { id: string; startedAt: string; running: boolean }) {
  const client = useClient();
  const [lines, setLines] = useState<Line[]>([]);
  const [ended, setEnded] = useState<string | null>(null);
  const [follow, setFollow] = useState(true);
  const [query, setQuery] = useState('');
  const [active, setActive] = useState(-1);
  const buffer = useRef<Line[]>([]);

  // A new start (restart) begins a new stream; so does following being possible again.
  useEffect(() => {
    const decoder = new TextDecoder();
    let n = 0;
    let frame = 0;
    buffer.current = [];
    setLines([]);
    setEnded(null);
    const flush = () => {
      frame = 0;
      const add = buffer.current;
      buffer.current = [];
      setLines((old) => {
        const all = old.concat(add);
        return all.length > maxLines ? all.slice(all.length - maxLines) : all;
      });
    };
    const handle = client.open('container.logs', { id, follow: running }, {
      onMessage(m: LogLine) {
        const text = decoder.decode(m.data instanceof Uint8Array ? m.data : new Uint8Array(m.data as ArrayLike<number>));
        for (const part of text.replace(/\n$/, '').split('\n')) buffer.current.push({ n: n++, stream: m.stream, time: m.time, text: part });
        if (!frame) frame = requestAnimationFrame(flush);
      },
      onEnd(error) {
        if (frame) cancelAnimationFrame(frame);
        flush();
        setEnded(error ? error.message : running ? 'the container stopped' : 'end of the log');
      },
    });
    return () => {
      if (frame) cancelAnimationFrame(frame);
      handle.close();
    };
  }, [client, id, startedAt, running]);

  const q = query.trim().toLowerCase();
  const shown = useMemo(() => (q ? lines.filter((l) => l.text.toLowerCase().includes(q)) : lines), [lines, q]);

  return (
    <div className="logs">
      <div className="logs-bar">
        <input type="search" className="search" placeholder="Search the log" aria-label="Search the log" value={query} onChange={(e) => setQuery(e.target.value)} />
        <label className="check">
          <input type="checkbox" checked={follow} onChange={(e) => setFollow(e.target.checked)} />
          Follow
        </label>
        <span className="logs-count" role="status">
          {q ? `${shown.length} of ${lines.length} lines` : `${lines.length} lines`}
        </span>
        <CommandLine command={commands.logs(id, running)} />
      </div>
      {shown.length === 0 ? (
        <p className="note note-empty">{lines.length === 0 ? (ended ? 'The container has written nothing.' : 'Waiting for output…') : 'No line matches.'}</p>
      ) : (
        <VirtualList
          count={shown.length}
          rowHeight={rowHeight}
          role="list"
          label="Log lines"
          height={460}
          stickToBottom={follow && !q}
          active={active}
          onActiveChange={setActive}
          className="loglist"
          testId="log-lines"
          renderRow={(i, p) => {
            const l = shown[i];
            return (
              <div key={l.n} id={p.id} role="listitem" className={`logline log-${l.stream} ${p.active ? 'is-active' : ''}`} style={{ height: rowHeight }}>
                <span className="log-stream">{l.stream === 'stderr' ? 'err' : 'out'}</span>
                <time className="log-time" dateTime={l.time}>
                  {l.time.slice(11, 23)}
                </time>
                <span className="log-text">{q ? <Highlight text={l.text} query={q} /> : l.text}</span>
              </div>
            );
          }}
        />
      )}
      {ended && <p className="log-end">— {ended} —</p>}
    </div>
  );
}

function Highlight({ text, query }: { text: string; query: string }) {
  const parts: ReactNode[] = [];
  const lower = text.toLowerCase();
  let at = 0;
  for (let i = lower.indexOf(query); i >= 0; i = lower.indexOf(query, i + query.length)) {
    if (i > at) parts.push(text.slice(at, i));
    parts.push(<mark key={i}>{text.slice(i, i + query.length)}</mark>);
    at = i + query.length;
  }
  parts.push(text.slice(at));
  return <>{parts}</>;
}
