// The regular expressions moby's patternmatcher builds from .dockerignore
// lines, matched as Go's regexp package matches them: in time linear in the
// input, never by backtracking (a JavaScript RegExp of `(.*/)?` ten times
// over runs for minutes on a deep path). The syntax is the part of Go's
// (RE2, Perl flags) that such expressions can hold: literals and `\`
// escapes, `.` (any character but newline), classes with ranges, negation,
// `\d \s \w` and POSIX names, groups, `|`, `* + ? {n,m}`, and the
// assertions `^ $ \A \z \b \B`. What else Go would accept (`\x41`, `\pL`,
// `\Q…\E`, octal) is refused as a syntax error.
//
// Thompson's construction: the expression becomes a small program, and the
// matcher runs every thread of it in step over the input (Pike's VM), each
// program counter at most once per character.

type CharTest = (cp: number) => boolean;

type Inst =
  | { op: 'char'; test: CharTest; next: number }
  | { op: 'split'; a: number; b: number }
  | { op: 'jmp'; next: number }
  | { op: 'assert'; kind: 'begin' | 'end' | 'word' | 'notword'; next: number }
  | { op: 'match' };

type Node =
  | { k: 'char'; test: CharTest }
  | { k: 'assert'; kind: 'begin' | 'end' | 'word' | 'notword' }
  | { k: 'cat'; items: Node[] }
  | { k: 'alt'; a: Node; b: Node }
  | { k: 'repeat'; min: number; max: number; item: Node };

export class RegexpSyntaxError extends Error {}

/** Go's bound on a counted repetition. */
const maxRepeat = 1000;
/** Instructions at most: counted repetitions nest multiplicatively. */
const maxProgram = 100_000;

export class LinearRegexp {
  private readonly prog: Inst[] = [];
  private readonly start: number;

  constructor(source: string) {
    const node = new Parser(source).parse();
    this.start = this.emit(node, this.add({ op: 'match' }));
  }

  /** Whether the whole of the expression matches somewhere in `input` (Go's MatchString). */
  test(input: string): boolean {
    const cps = Array.from(input, (c) => c.codePointAt(0)!);
    let current: number[] = [];
    let next: number[] = [];
    const seen = new Int32Array(this.prog.length).fill(-1);
    let generation = 0;
    const add = (list: number[], pc: number, at: number): boolean => {
      if (seen[pc] === generation) return false;
      seen[pc] = generation;
      const inst = this.prog[pc]!;
      switch (inst.op) {
        case 'jmp':
          return add(list, inst.next, at);
        case 'split':
          return add(list, inst.a, at) || add(list, inst.b, at);
        case 'assert':
          return holds(inst.kind, cps, at) ? add(list, inst.next, at) : false;
        case 'match':
          return true;
        case 'char':
          list.push(pc);
          return false;
      }
    };
    for (let at = 0; ; at++) {
      // Unanchored, as MatchString: a thread may start at every position.
      if (add(current, this.start, at)) return true;
      if (at === cps.length) return false;
      generation++;
      const cp = cps[at]!;
      let matched = false;
      for (const pc of current) {
        const inst = this.prog[pc] as Extract<Inst, { op: 'char' }>;
        if (inst.test(cp) && add(next, inst.next, at + 1)) matched = true;
      }
      if (matched) return true;
      [current, next] = [next, current];
      next.length = 0;
    }
  }

  private add(inst: Inst): number {
    this.prog.push(inst);
    return this.prog.length - 1;
  }

  /** Emits `node` so that it continues at `next`; returns its entry point. */
  private emit(node: Node, next: number): number {
    switch (node.k) {
      case 'char':
        return this.add({ op: 'char', test: node.test, next });
      case 'assert':
        return this.add({ op: 'assert', kind: node.kind, next });
      case 'cat': {
        let entry = next;
        for (let i = node.items.length - 1; i >= 0; i--) entry = this.emit(node.items[i]!, entry);
        return entry;
      }
      case 'alt':
        return this.add({ op: 'split', a: this.emit(node.a, next), b: this.emit(node.b, next) });
      case 'repeat': {
        // x{n,m} is n copies of x, then m-n optional ones (or x* when unbounded).
        let entry = next;
        if (node.max === Infinity) {
          const loop = this.add({ op: 'split', a: -1, b: next });
          (this.prog[loop] as { a: number }).a = this.emit(node.item, loop);
          entry = loop;
        } else {
          for (let n = node.min; n < node.max; n++) entry = this.add({ op: 'split', a: this.emit(node.item, entry), b: next });
        }
        for (let n = 0; n < node.min; n++) entry = this.emit(node.item, entry);
        if (this.prog.length > maxProgram) throw new RegexpSyntaxError('expression too large');
        return entry;
      }
    }
  }
}

const isWord = (cp: number | undefined) =>
  cp !== undefined && ((cp >= 0x30 && cp <= 0x39) || (cp >= 0x41 && cp <= 0x5a) || (cp >= 0x61 && cp <= 0x7a) || cp === 0x5f);

function holds(kind: 'begin' | 'end' | 'word' | 'notword', cps: number[], at: number): boolean {
  if (kind === 'begin') return at === 0;
  if (kind === 'end') return at === cps.length;
  const boundary = isWord(cps[at - 1]) !== isWord(cps[at]);
  return kind === 'word' ? boundary : !boundary;
}

type Ranges = Array<[number, number]>;

const perlClasses: Record<string, Ranges> = {
  d: [[0x30, 0x39]],
  s: [[0x09, 0x0a], [0x0c, 0x0d], [0x20, 0x20]],
  w: [[0x30, 0x39], [0x41, 0x5a], [0x5f, 0x5f], [0x61, 0x7a]],
};

const posixClasses: Record<string, Ranges> = {
  alnum: [[0x30, 0x39], [0x41, 0x5a], [0x61, 0x7a]],
  alpha: [[0x41, 0x5a], [0x61, 0x7a]],
  ascii: [[0x00, 0x7f]],
  blank: [[0x09, 0x09], [0x20, 0x20]],
  cntrl: [[0x00, 0x1f], [0x7f, 0x7f]],
  digit: [[0x30, 0x39]],
  graph: [[0x21, 0x7e]],
  lower: [[0x61, 0x7a]],
  print: [[0x20, 0x7e]],
  punct: [[0x21, 0x2f], [0x3a, 0x40], [0x5b, 0x60], [0x7b, 0x7e]],
  space: [[0x09, 0x0d], [0x20, 0x20]],
  upper: [[0x41, 0x5a]],
  word: [[0x30, 0x39], [0x41, 0x5a], [0x5f, 0x5f], [0x61, 0x7a]],
  xdigit: [[0x30, 0x39], [0x41, 0x46], [0x61, 0x66]],
};

const controlEscapes: Record<string, number> = { a: 7, f: 12, n: 10, r: 13, t: 9, v: 11 };

const inRanges = (ranges: Ranges, cp: number) => ranges.some(([lo, hi]) => cp >= lo && cp <= hi);
const classTest = (ranges: Ranges, negated: boolean): CharTest => (cp) => inRanges(ranges, cp) !== negated;
const literal = (c: number): Node => ({ k: 'char', test: (cp) => cp === c });

class Parser {
  private readonly s: number[];
  private i = 0;

  constructor(private readonly source: string) {
    this.s = Array.from(source, (c) => c.codePointAt(0)!);
  }

  parse(): Node {
    const node = this.alternation();
    if (this.i < this.s.length) throw this.error('unexpected )');
    return node;
  }

  private error(why: string): RegexpSyntaxError {
    return new RegexpSyntaxError(`${why} in ${this.source}`);
  }

  private peek(k = 0): string | undefined {
    const cp = this.s[this.i + k];
    return cp === undefined ? undefined : String.fromCodePoint(cp);
  }

  private alternation(): Node {
    let node = this.concatenation();
    while (this.peek() === '|') {
      this.i++;
      node = { k: 'alt', a: node, b: this.concatenation() };
    }
    return node;
  }

  private concatenation(): Node {
    const items: Node[] = [];
    for (let c = this.peek(); c !== undefined && c !== '|' && c !== ')'; c = this.peek()) {
      if (this.quantifier()) throw this.error('missing argument to repetition operator');
      let item = this.atom();
      let repeated = false;
      for (let q = this.quantifier(); q !== null; q = this.quantifier()) {
        if (repeated) throw this.error('invalid nested repetition operator');
        item = { k: 'repeat', ...q, item };
        repeated = true;
        // A lazy repetition matches the same strings.
        if (this.peek() === '?') this.i++;
      }
      items.push(item);
    }
    return { k: 'cat', items };
  }

  /** `* + ?` or a well-formed `{n}`, `{n,}`, `{n,m}` at the cursor, consumed (a `{` otherwise is a literal). */
  private quantifier(): { min: number; max: number } | null {
    const q = this.peek();
    if (q === '*' || q === '+' || q === '?') {
      this.i++;
      return { min: q === '+' ? 1 : 0, max: q === '?' ? 1 : Infinity };
    }
    if (q !== '{') return null;
    const m = /^\{([0-9]+)(,([0-9]*))?\}/.exec(String.fromCodePoint(...this.s.slice(this.i, this.i + 24)));
    if (!m) return null;
    const min = Number(m[1]);
    const max = m[2] === undefined ? min : m[3] === '' ? Infinity : Number(m[3]);
    if (min > maxRepeat || (max !== Infinity && (max > maxRepeat || min > max))) throw this.error('invalid repeat count');
    this.i += m[0].length;
    return { min, max };
  }

  private atom(): Node {
    const c = this.peek()!;
    this.i++;
    switch (c) {
      case '(': {
        if (this.peek() === '?') throw this.error('unsupported group');
        const inner = this.alternation();
        if (this.peek() !== ')') throw this.error('missing closing )');
        this.i++;
        return inner;
      }
      case '[':
        return this.charClass();
      case '.':
        return { k: 'char', test: (cp) => cp !== 0x0a };
      case '^':
        return { k: 'assert', kind: 'begin' };
      case '$':
        return { k: 'assert', kind: 'end' };
      case '\\': {
        const e = this.peek();
        if (e === 'A' || e === 'z' || e === 'b' || e === 'B') {
          this.i++;
          return { k: 'assert', kind: e === 'A' ? 'begin' : e === 'z' ? 'end' : e === 'b' ? 'word' : 'notword' };
        }
        const perl = this.perlClass();
        if (perl) return { k: 'char', test: classTest(perl.ranges, perl.negated) };
        return literal(this.escape());
      }
      default:
        return literal(c.codePointAt(0)!);
    }
  }

  /** After a `\`: `\d \D \s \S \w \W`, consumed; null for anything else. */
  private perlClass(): { ranges: Ranges; negated: boolean } | null {
    const e = this.peek();
    if (e === undefined) return null;
    const ranges = perlClasses[e.toLowerCase()];
    if (!ranges) return null;
    this.i++;
    return { ranges, negated: e !== e.toLowerCase() };
  }

  /** After a `\`: the character an escape stands for. */
  private escape(): number {
    const e = this.peek();
    if (e === undefined) throw this.error('trailing backslash at end of expression');
    this.i++;
    const cp = e.codePointAt(0)!;
    // Punctuation (anything not a letter or digit below 0x80) stands for itself.
    if (cp < 0x80 && !/[0-9A-Za-z]/.test(e)) return cp;
    const control = controlEscapes[e];
    if (control !== undefined) return control;
    throw this.error(`invalid escape sequence: \\${e}`);
  }

  /** After `[`: a class, as Go's parseClass reads it (`]` or `-` first is literal). */
  private charClass(): Node {
    let negated = false;
    if (this.peek() === '^') {
      negated = true;
      this.i++;
    }
    const ranges: Ranges = [];
    let first = true;
    while (first || this.peek() !== ']') {
      if (this.peek() === undefined) throw this.error('missing closing ]');
      first = false;
      if (this.peek() === '[' && this.peek(1) === ':') {
        const named = this.posixClass();
        if (named) {
          ranges.push(...named);
          continue;
        }
      }
      if (this.peek() === '\\') {
        this.i++;
        const perl = this.perlClass();
        if (perl) {
          ranges.push(...(perl.negated ? complement(perl.ranges) : perl.ranges));
          continue;
        }
        this.i--;
      }
      const lo = this.classChar();
      let hi = lo;
      if (this.peek() === '-' && this.peek(1) !== ']' && this.peek(1) !== undefined) {
        this.i++;
        hi = this.classChar();
        if (hi < lo) throw this.error('invalid character class range');
      }
      ranges.push([lo, hi]);
    }
    this.i++;
    return { k: 'char', test: classTest(ranges, negated) };
  }

  private classChar(): number {
    const c = this.peek();
    if (c === undefined) throw this.error('missing closing ]');
    this.i++;
    return c === '\\' ? this.escape() : c.codePointAt(0)!;
  }

  /** `[:alpha:]` or `[:^alpha:]` at the cursor, consumed; null when there is none. */
  private posixClass(): Ranges | null {
    const rest = String.fromCodePoint(...this.s.slice(this.i));
    const end = rest.indexOf(':]', 2);
    if (end < 0) return null;
    const name = rest.slice(2, end);
    const negated = name.startsWith('^');
    const ranges = posixClasses[negated ? name.slice(1) : name];
    if (!ranges) throw this.error(`invalid character class range: [${name}]`);
    this.i += Array.from(rest.slice(0, end + 2)).length;
    return negated ? complement(ranges) : ranges;
  }
}

function complement(ranges: Ranges): Ranges {
  const out: Ranges = [];
  let lo = 0;
  for (const [a, b] of [...ranges].sort((x, y) => x[0] - y[0])) {
    if (a > lo) out.push([lo, a - 1]);
    lo = Math.max(lo, b + 1);
  }
  if (lo <= 0x10ffff) out.push([lo, 0x10ffff]);
  return out;
}
