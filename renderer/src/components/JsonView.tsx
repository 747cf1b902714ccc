// JSON as `inspect` prints it (two-space indent), with quiet syntax colours
// and a copy button. Tokens are spans from a scan of the text; nothing is
// evaluated and nothing is injected as HTML.

import { useMemo, type ReactNode } from 'react';
import { CopyButton } from './CommandLine';

const token = /("(?:\\.|[^"\\])*")(\s*:)?|\b(true|false|null)\b|(-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)/g;

export function highlightJson(text: string): ReactNode[] {
  const out: ReactNode[] = [];
  let last = 0;
  let n = 0;
  for (const m of text.matchAll(token)) {
    const at = m.index ?? 0;
    if (at > last) out.push(text.slice(last, at));
    if (m[1] !== undefined) {
      out.push(
        <span key={n++} className={m[2] ? 'j-key' : 'j-str'}>
          {m[1]}
        </span>,
      );
      if (m[2]) out.push(m[2]);
    } else if (m[3] !== undefined) {
      out.push(
        <span key={n++} className="j-lit">
          {m[3]}
        </span>,
      );
    } else {
      out.push(
        <span key={n++} className="j-num">
          {m[4]}
        </span>,
      );
    }
    last = at + m[0].length;
  }
  if (last < text.length) out.push(text.slice(last));
  return out;
}

export function JsonView({ value, label }: { value: unknown; label: string }) {
  const text = useMemo(() => JSON.stringify(value, null, 2) ?? 'null', [value]);
  const nodes = useMemo(() => highlightJson(text), [text]);
  return (
    <div className="json">
      <div className="json-bar">
        <CopyButton text={text} label={`Copy ${label}`} />
      </div>
      <pre aria-label={label} tabIndex={0}>
        {nodes}
      </pre>
    </div>
  );
}
