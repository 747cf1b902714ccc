// Go's filepath.Match on Linux, which COPY and ADD use for wildcard
// sources: `*` is any run of bytes but '/', `?` one character but '/',
// `[...]` a class (ranges, `^` negates; unlike `*` and `?` it may match '/'),
// `\` makes the next character literal. Written as Go's own loop over the
// UTF-8 bytes, quirks included: each `*` takes the first place where the
// chunk after it matches and never looks back, so a match costs at most
// the pattern's length times the name's, never a backtracking search.
// A malformed pattern matches nothing, as Docker ignores the error.

/** True when a COPY source has wildcards (an escaped character does not count). */
export function hasWildcards(name: string): boolean {
  for (let i = 0; i < name.length; i++) {
    if (name[i] === '\\') i++;
    else if (name[i] === '*' || name[i] === '?' || name[i] === '[') return true;
  }
  return false;
}

export function pathMatch(pattern: string, name: string): boolean {
  return goMatch(pattern, name) === true;
}

/** filepath.Match: whether `name` matches, or 'bad pattern' (Go's ErrBadPattern). */
export function goMatch(pattern: string, name: string): boolean | 'bad pattern' {
  let p: Buffer = Buffer.from(pattern);
  let n: Buffer = Buffer.from(name);
  next: while (p.length > 0) {
    const { star, chunk, rest } = scanChunk(p);
    p = rest;
    // A trailing * matches the rest unless it holds a '/'.
    if (star && chunk.length === 0) return !n.includes(SLASH);
    // At the current place first; with a star, at each later one up to a '/'.
    const here = matchChunk(chunk, n);
    if (here !== null && typeof here !== 'string' && (here.length === 0 || p.length > 0)) {
      n = here;
      continue;
    }
    if (here === 'bad pattern') return here;
    if (star) {
      for (let i = 0; i < n.length && n[i] !== SLASH; i++) {
        const t = matchChunk(chunk, n.subarray(i + 1));
        if (t === 'bad pattern') return t;
        if (t === null) continue;
        // The last chunk must use up the name.
        if (p.length === 0 && t.length > 0) continue;
        n = t;
        continue next;
      }
    }
    return false;
  }
  return n.length === 0;
}

const SLASH = 0x2f;
const BACKSLASH = 0x5c;
const STAR = 0x2a;

function scanChunk(pattern: Buffer): { star: boolean; chunk: Buffer; rest: Buffer } {
  let p = pattern;
  let star = false;
  while (p.length > 0 && p[0] === STAR) {
    p = p.subarray(1);
    star = true;
  }
  let inRange = false;
  let i = 0;
  for (; i < p.length; i++) {
    const c = p[i];
    if (c === BACKSLASH) {
      if (i + 1 < p.length) i++;
    } else if (c === 0x5b) inRange = true;
    else if (c === 0x5d) inRange = false;
    else if (c === STAR && !inRange) break;
  }
  return { star, chunk: p.subarray(0, i), rest: p.subarray(i) };
}

/**
 * The rest of `s` after `chunk` matched its start, null when it does not
 * match. As Go, the chunk is read to its end even after a mismatch, so a
 * malformed class is found either way.
 */
function matchChunk(chunk: Buffer, name: Buffer): Buffer | null | 'bad pattern' {
  let c = chunk;
  let s = name;
  let failed = false;
  while (c.length > 0) {
    if (!failed && s.length === 0) failed = true;
    if (c[0] === 0x5b) {
      let r = -1;
      if (!failed) {
        const [rune, size] = decodeRune(s, 0);
        r = rune;
        s = s.subarray(size);
      }
      c = c.subarray(1);
      let negated = false;
      if (c.length > 0 && c[0] === 0x5e) {
        negated = true;
        c = c.subarray(1);
      }
      let match = false;
      let ranges = 0;
      for (;;) {
        if (c.length > 0 && c[0] === 0x5d && ranges > 0) {
          c = c.subarray(1);
          break;
        }
        const lo = getEsc(c);
        if (lo === null) return 'bad pattern';
        c = lo.rest;
        let hi = lo.rune;
        if (c[0] === 0x2d) {
          const h = getEsc(c.subarray(1));
          if (h === null) return 'bad pattern';
          c = h.rest;
          hi = h.rune;
        }
        if (lo.rune <= r && r <= hi) match = true;
        ranges++;
      }
      if (match === negated) failed = true;
    } else if (c[0] === 0x3f) {
      if (!failed) {
        if (s[0] === SLASH) failed = true;
        s = s.subarray(decodeRune(s, 0)[1]);
      }
      c = c.subarray(1);
    } else {
      if (c[0] === BACKSLASH) {
        c = c.subarray(1);
        if (c.length === 0) return 'bad pattern';
      }
      if (!failed) {
        if (c[0] !== s[0]) failed = true;
        s = s.subarray(1);
      }
      c = c.subarray(1);
    }
  }
  return failed ? null : s;
}

/** One character of a class, `\` escaping; null where Go says ErrBadPattern. */
function getEsc(chunk: Buffer): { rune: number; rest: Buffer } | null {
  let c = chunk;
  if (c.length === 0 || c[0] === 0x2d || c[0] === 0x5d) return null;
  if (c[0] === BACKSLASH) {
    c = c.subarray(1);
    if (c.length === 0) return null;
  }
  const [rune, size] = decodeRune(c, 0);
  const rest = c.subarray(size);
  if ((rune === RUNE_ERROR && size === 1) || rest.length === 0) return null;
  return { rune, rest };
}

const RUNE_ERROR = 0xfffd;

/** Go's utf8.DecodeRune: the code point at `i` and its length; U+FFFD and 1 for a bad sequence. */
export function decodeRune(b: Buffer, i: number): [number, number] {
  const c0 = b[i];
  if (c0 === undefined) return [RUNE_ERROR, 0];
  if (c0 < 0x80) return [c0, 1];
  const cont = (k: number) => {
    const c = b[i + k];
    return c !== undefined && (c & 0xc0) === 0x80 ? c & 0x3f : -1;
  };
  let size: number;
  let min: number;
  let r: number;
  if (c0 >= 0xc2 && c0 <= 0xdf) [size, min, r] = [2, 0x80, c0 & 0x1f];
  else if (c0 >= 0xe0 && c0 <= 0xef) [size, min, r] = [3, 0x800, c0 & 0x0f];
  else if (c0 >= 0xf0 && c0 <= 0xf4) [size, min, r] = [4, 0x10000, c0 & 0x07];
  else return [RUNE_ERROR, 1];
  for (let k = 1; k < size; k++) {
    const c = cont(k);
    if (c < 0) return [RUNE_ERROR, 1];
    r = (r << 6) | c;
  }
  if (r < min || r > 0x10ffff || (r >= 0xd800 && r <= 0xdfff)) return [RUNE_ERROR, 1];
  return [r, size];
}
