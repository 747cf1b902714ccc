// Go's filepath.Match on Linux, which COPY and ADD use for wildcard
// sources: `*` is any run of characters but '/', `?` one character but '/',
// `[...]` a class (ranges, `^` negates; unlike `*` and `?` it may match '/'),
// `\` makes the next character literal. A malformed pattern matches nothing,
// as Docker ignores the error.

/** True when a COPY source has wildcards (an escaped character does not count). */
export function hasWildcards(name: string): boolean {
  for (let i = 0; i < name.length; i++) {
    if (name[i] === '\\') i++;
    else if (name[i] === '*' || name[i] === '?' || name[i] === '[') return true;
  }
  return false;
}

const compiled = new Map<string, RegExp | null>();

export function pathMatch(pattern: string, name: string): boolean {
  let re = compiled.get(pattern);
  if (re === undefined) {
    re = compile(pattern);
    compiled.set(pattern, re);
  }
  return re !== null && re.test(name);
}

/** A character as itself in a regex, outside a class and inside one. */
const literal = (ch: string) => ch.replace(/[\\^$.|?*+()[\]{}/]/g, '\\$&');
const inClass = (ch: string) => ch.replace(/[\\^\]\[-]/g, '\\$&');

function compile(pattern: string): RegExp | null {
  const chars = [...pattern];
  let out = '';
  for (let i = 0; i < chars.length; i++) {
    const ch = chars[i];
    if (ch === '*') out += '[^/]*';
    else if (ch === '?') out += '[^/]';
    else if (ch === '\\') {
      if (i + 1 >= chars.length) return null;
      out += literal(chars[++i]);
    } else if (ch === '[') {
      const cls = charClass(chars, i + 1);
      if (!cls) return null;
      out += cls.regex;
      i = cls.end;
    } else out += literal(ch);
  }
  return new RegExp(`^${out}$`, 'su');
}

/** A class starting after '[': its regex and the index of its ']'; null when malformed. */
function charClass(chars: string[], start: number): { regex: string; end: number } | null {
  let i = start;
  const negated = chars[i] === '^';
  if (negated) i++;
  const ranges: string[] = [];
  let count = 0; // ranges read, empty ones (z-a) included: Go needs one before ']'
  const esc = (): string | null => {
    const ch = chars[i];
    if (ch === undefined || ch === '-' || ch === ']') return null;
    if (ch === '\\') {
      i++;
      if (chars[i] === undefined) return null;
    }
    return chars[i++];
  };
  for (;;) {
    if (chars[i] === ']' && count > 0) {
      // Only empty ranges: nothing is in the class.
      if (ranges.length === 0) return { regex: negated ? '[\\s\\S]' : '[^\\s\\S]', end: i };
      return { regex: `[${negated ? '^' : ''}${ranges.join('')}]`, end: i };
    }
    const lo = esc();
    if (lo === null) return null;
    let hi = lo;
    if (chars[i] === '-') {
      i++;
      const h = esc();
      if (h === null) return null;
      hi = h;
    }
    count++;
    if (lo.codePointAt(0)! <= hi.codePointAt(0)!) ranges.push(lo === hi ? inClass(lo) : `${inClass(lo)}-${inClass(hi)}`);
  }
}
