// The part of docker's --format that scripts use: `table` with a header,
// `{{.Field}}`, `{{.A.B}}`, `{{json .}}`, `{{json .Field}}` and the word
// `json`; `\t` and `\n` typed in the format become tab and newline. Values
// print as Go's %v prints them. Anything else (if, range, functions) is refused.

import { goJson } from './gojson';
import { OptionError } from './session';

type Piece = { text: string } | { path: string[]; json: boolean };

export interface Template {
  /** A table: rendered lines go through the tabwriter, under a header line. */
  readonly table: boolean;
  render(data: unknown): string;
  /** The header line: each field's column title. */
  header(titles: Record<string, string>): string;
}

function parseAction(action: string, format: string): Piece {
  const words = action.trim().split(/\s+/);
  const json = words[0] === 'json' && words.length === 2;
  const ref = json ? words[1] : words.length === 1 ? words[0] : '';
  if (ref === '.') return { path: [], json };
  if (/^(\.[A-Za-z_][A-Za-z0-9_]*)+$/.test(ref)) return { path: ref.slice(1).split('.'), json };
  throw new OptionError(`unsupported format ${JSON.stringify(format)}: only {{.Field}}, {{json .}} and {{json .Field}} are supported`);
}

/** Go's %v of a decoded JSON value. */
export function goValue(value: unknown): string {
  if (value === undefined) return '<no value>';
  if (value === null) return '<nil>';
  if (Array.isArray(value)) return `[${value.map(goValue).join(' ')}]`;
  if (typeof value === 'object') {
    const map = value as Record<string, unknown>;
    return `map[${Object.keys(map).sort().map((k) => `${k}:${goValue(map[k])}`).join(' ')}]`;
  }
  return String(value);
}

function lookup(data: unknown, path: string[]): unknown {
  let value = data;
  for (const key of path) {
    if (typeof value !== 'object' || value === null) return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}

export function parseTemplate(format: string): Template {
  let body = format;
  const table = body.startsWith('table');
  if (table) body = body.slice('table'.length);
  body = body.trim().replace(/\\t/g, '\t').replace(/\\n/g, '\n');
  if (body === 'json') body = '{{json .}}';

  const pieces: Piece[] = [];
  let rest = body;
  while (rest) {
    const open = rest.indexOf('{{');
    if (open < 0) {
      pieces.push({ text: rest });
      break;
    }
    const close = rest.indexOf('}}', open);
    if (close < 0) throw new OptionError(`unsupported format ${JSON.stringify(format)}: unclosed action`);
    if (open > 0) pieces.push({ text: rest.slice(0, open) });
    pieces.push(parseAction(rest.slice(open + 2, close), format));
    rest = rest.slice(close + 2);
  }

  return {
    table,
    render: (data) =>
      pieces
        .map((p) => {
          if ('text' in p) return p.text;
          const value = lookup(data, p.path);
          return p.json ? goJson(value ?? null) : goValue(value);
        })
        .join(''),
    header: (titles) =>
      pieces
        .map((p) => {
          if ('text' in p) return p.text;
          const field = p.path.join('.');
          return p.json ? '' : (titles[field] ?? field.toUpperCase());
        })
        .join(''),
  };
}
