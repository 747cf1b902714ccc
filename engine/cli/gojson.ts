// Go's encoding quirks that the docker CLI's output carries: encoding/json
// escapes <, > and & (so "<none>" prints as "\u003cnone\u003e") and sorts
// map keys; strconv.Quote writes `"sleep 1000"` for ps's COMMAND column.

const htmlUnsafe = /[<>&\u2028\u2029]/g;

function escapeLikeGo(json: string): string {
  // These characters only ever occur inside JSON strings, so escaping them everywhere is safe.
  return json.replace(htmlUnsafe, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** json.Marshal: compact, HTML-safe. Object keys keep their order; pass sorted objects for Go maps. */
export function goJson(value: unknown): string {
  return escapeLikeGo(JSON.stringify(value) ?? 'null');
}

/** json.MarshalIndent / json.Indent with the given indent, as `docker inspect` prints (4 spaces). */
export function goJsonIndent(value: unknown, indent: string): string {
  return escapeLikeGo(JSON.stringify(value, null, indent) ?? 'null');
}

/** A copy of a string map with its keys in Go's map order (sorted), for JSON output. */
export function sortedMap<T>(map: Record<string, T>): Record<string, T> {
  const out: Record<string, T> = {};
  for (const key of Object.keys(map).sort()) out[key] = map[key];
  return out;
}

const shortEscapes: Record<string, string> = {
  '\x07': '\\a',
  '\b': '\\b',
  '\f': '\\f',
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
  '\v': '\\v',
  '"': '\\"',
  '\\': '\\\\',
};

/** strconv.Quote: Go-escaped, double-quoted; printable Unicode (such as "…") stays as it is. */
export function goQuote(text: string): string {
  let out = '"';
  for (const ch of text) {
    const code = ch.codePointAt(0) as number;
    if (shortEscapes[ch]) out += shortEscapes[ch];
    else if (code < 0x20 || code === 0x7f) out += `\\x${code.toString(16).padStart(2, '0')}`;
    else if (/[\p{C}\p{Z}]/u.test(ch) && ch !== ' ') {
      out += code < 0x10000 ? `\\u${code.toString(16).padStart(4, '0')}` : `\\U${code.toString(16).padStart(8, '0')}`;
    } else out += ch;
  }
  return out + '"';
}
