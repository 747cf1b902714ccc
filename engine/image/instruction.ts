// Dockerfile instruction lines, parsed the way Docker's parser does, for
// `--change` now and the builder later: logical lines (comments, `\`
// continuations), the keyword and its `--flags`, the JSON-or-shell form of
// CMD-like arguments, KEY=value words, and the shell-like processing of a
// word (quotes, escapes, $VAR and ${VAR:-default}) that Docker applies to
// ENV, LABEL, WORKDIR, USER, EXPOSE, VOLUME and STOPSIGNAL.

import { invalidArgument } from '../errors';

/** Docker's default escape character; a Dockerfile may switch to '`' with `# escape=`. */
export const defaultEscape = '\\';
const escapeToken = defaultEscape;

export interface Instruction {
  keyword: string; // upper case: "CMD"
  flags: Record<string, string>; // --interval=5s → { interval: '5s' }
  rest: string; // the arguments as written, after keyword and flags
  original: string; // the whole instruction text
  line: number; // 1-based line it starts on
}

/** Splits Dockerfile text into instructions, skipping comments and blank lines. */
export function splitInstructions(text: string): Instruction[] {
  const out: Instruction[] = [];
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const start = i;
    let logical = lines[i].trim();
    if (logical === '' || logical.startsWith('#')) continue;
    // A trailing escape joins the next line; comment and blank lines inside are dropped.
    while (logical.endsWith(escapeToken) && i + 1 < lines.length) {
      logical = logical.slice(0, -1);
      let next = lines[++i];
      while (/^\s*(#|$)/.test(next) && i + 1 < lines.length) next = lines[++i];
      if (/^\s*(#|$)/.test(next)) break;
      logical = (logical + next.trimStart()).trimEnd();
    }
    if (logical.endsWith(escapeToken)) logical = logical.slice(0, -1);
    out.push(parseInstruction(logical, start + 1));
  }
  return out;
}

/** Parses one logical line: keyword, leading --flags, rest. */
export function parseInstruction(text: string, line = 1): Instruction {
  const original = text.trim();
  const m = /^(\S+)\s*([\s\S]*)$/.exec(original);
  if (!m) throw invalidArgument(`dockerfile parse error on line ${line}: empty instruction`);
  const keyword = m[1].toUpperCase();
  let rest = m[2];
  const flags: Record<string, string> = {};
  for (;;) {
    const f = /^--([^\s=]*)(?:=(\S*))?(?:\s+|$)/.exec(rest);
    if (!f) break;
    if (f[1] === '') {
      rest = rest.slice(f[0].length); // a lone "--" ends the flags
      break;
    }
    flags[f[1]] = f[2] ?? '';
    rest = rest.slice(f[0].length);
  }
  return { keyword, flags, rest: rest.trim(), original, line };
}

/** Refuses flags an instruction does not take, with Docker's message. */
export function checkFlags(ins: Instruction, allowed: readonly string[] = []): void {
  for (const name of Object.keys(ins.flags)) {
    if (!allowed.includes(name)) throw invalidArgument(`Unknown flag: ${name}`);
  }
}

export type CommandForm = { json: true; args: string[] } | { json: false; command: string };

/** CMD, ENTRYPOINT, RUN, HEALTHCHECK CMD: a JSON string array is the exec form, anything else a shell command. */
export function commandForm(rest: string): CommandForm {
  if (rest.startsWith('[')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(rest);
    } catch {
      return { json: false, command: rest };
    }
    if (Array.isArray(parsed)) {
      if (!parsed.every((a) => typeof a === 'string')) {
        throw invalidArgument('when using JSON array syntax, arrays must be comprised of strings only');
      }
      return { json: true, args: parsed as string[] };
    }
  }
  return { json: false, command: rest };
}

/** Whitespace-separated words; quotes group words but stay in them (Docker's parseWords). */
export function splitWords(rest: string, escape = defaultEscape): string[] {
  const words: string[] = [];
  let word = '';
  let inWord = false;
  let quote = '';
  let blankOk = false;
  for (let i = 0; i < rest.length; i++) {
    let ch = rest[i];
    if (!inWord && !quote) {
      if (/\s/.test(ch)) continue;
      inWord = true;
    }
    if (quote) {
      if (ch === quote) quote = '';
      else if (ch === escape && quote !== "'") {
        if (i + 1 === rest.length) continue;
        word += ch;
        ch = rest[++i];
      }
      word += ch;
      continue;
    }
    if (/\s/.test(ch)) {
      if (blankOk || word) words.push(word);
      [word, inWord, blankOk] = ['', false, false];
      continue;
    }
    if (ch === "'" || ch === '"') {
      quote = ch;
      blankOk = true;
    } else if (ch === escape) {
      if (i + 1 === rest.length) continue;
      word += ch;
      ch = rest[++i];
    }
    word += ch;
  }
  if (inWord && (blankOk || word)) words.push(word);
  return words;
}

/**
 * ENV and LABEL arguments: `k=v k2="v 2"` pairs, or the legacy `k v w` form
 * (one pair, the value being the rest of the line). Keys and values are
 * returned unprocessed; run them through expandWord.
 */
export function nameValuePairs(rest: string, keyword: string, escape = defaultEscape): Array<[string, string]> {
  const words = splitWords(rest, escape);
  if (words.length === 0) throw invalidArgument(`${keyword} requires at least one argument`);
  if (!words[0].includes('=')) {
    const legacy = /^(\S+)\s+([\s\S]+)$/.exec(rest);
    if (!legacy) throw invalidArgument(`${keyword} must have two arguments`);
    return [[legacy[1], legacy[2]]];
  }
  return words.map((w) => {
    const eq = w.indexOf('=');
    if (eq === -1) {
      throw invalidArgument(`Syntax error - can't find = in ${JSON.stringify(w)}. Must be of the form: name=value`);
    }
    if (eq === 0) throw invalidArgument(`${keyword} names can not be blank`);
    return [w.slice(0, eq), w.slice(eq + 1)];
  });
}

/** Environment lookups for expandWord, from a config's "K=V" list (last one wins). */
export function envMap(env: readonly string[] | undefined): Map<string, string> {
  const map = new Map<string, string>();
  for (const kv of env ?? []) {
    const eq = kv.indexOf('=');
    if (eq === -1) map.set(kv, '');
    else map.set(kv.slice(0, eq), kv.slice(eq + 1));
  }
  return map;
}

/** One word through Docker's shell lexer: quotes removed, escapes applied, variables substituted. */
export function expandWord(word: string, env: ReadonlyMap<string, string>, escape = defaultEscape): string {
  return new WordLexer(word, env, escape).until('');
}

/**
 * Docker's ProcessWords (EXPOSE's expansion): the text expanded, then split
 * into words at unquoted blanks, including blanks a variable's value brings.
 */
export function expandWords(text: string, env: ReadonlyMap<string, string>, escape = defaultEscape): string[] {
  const words = new WordSplitter();
  new WordLexer(text, env, escape, words).until('');
  return words.finish();
}

/** Word boundaries as Docker's lexer tracks them: quoted and escaped text never splits. */
class WordSplitter {
  private word = '';
  private inWord = false;
  private readonly words: string[] = [];

  /** Text that splits at blanks: plain characters and unquoted variable values. */
  add(text: string): void {
    for (const ch of text) {
      if (!/\s/.test(ch)) this.addRaw(ch);
      else if (this.inWord && this.word !== '') {
        this.words.push(this.word);
        [this.word, this.inWord] = ['', false];
      }
    }
  }

  addRaw(text: string): void {
    this.word += text;
    this.inWord = true;
  }

  finish(): string[] {
    if (this.word !== '') this.words.push(this.word);
    return this.words;
  }
}

class WordLexer {
  private pos = 0;

  constructor(
    private readonly text: string,
    private readonly env: ReadonlyMap<string, string>,
    private readonly escape: string = defaultEscape,
    /** Given for the top level of expandWords only: nested text is one word. */
    private readonly words?: WordSplitter,
  ) {}

  /** Reads up to (and consumes) `stop`, or to the end when stop is ''. */
  until(stop: string): string {
    let out = '';
    const words = stop ? undefined : this.words;
    while (this.pos < this.text.length) {
      const ch = this.text[this.pos];
      if (stop && ch === stop) {
        this.pos++;
        return out;
      }
      this.pos++;
      let piece: string;
      let splits = false; // plain characters and unquoted variable values split into words
      if (ch === "'") piece = this.singleQuoted();
      else if (ch === '"') piece = this.doubleQuoted();
      else if (ch === '$') [piece, splits] = [this.dollar(), true];
      else if (ch === this.escape) piece = this.pos < this.text.length ? this.text[this.pos++] : '';
      else [piece, splits] = [ch, true];
      if (words && splits) words.add(piece);
      else if (words && piece) words.addRaw(piece);
      out += piece;
    }
    if (stop) throw invalidArgument(`syntax error: missing '${stop}'`);
    return out;
  }

  private singleQuoted(): string {
    const end = this.text.indexOf("'", this.pos);
    if (end === -1) throw invalidArgument('unexpected end of statement while looking for matching single-quote');
    const out = this.text.slice(this.pos, end);
    this.pos = end + 1;
    return out;
  }

  private doubleQuoted(): string {
    let out = '';
    while (this.pos < this.text.length) {
      const ch = this.text[this.pos++];
      if (ch === '"') return out;
      if (ch === '$') out += this.dollar();
      else if (ch === this.escape) {
        const next = this.text[this.pos];
        if (next === undefined) continue;
        if (next === '"' || next === '$' || next === this.escape) {
          out += next;
          this.pos++;
        } else out += ch;
      } else out += ch;
    }
    throw invalidArgument('unexpected end of statement while looking for matching double-quote');
  }

  private dollar(): string {
    if (this.text[this.pos] !== '{') {
      const name = this.name();
      return name ? (this.env.get(name) ?? '') : '$';
    }
    this.pos++;
    const name = this.name();
    if (!name) throw invalidArgument(`syntax error: bad substitution in ${JSON.stringify(this.text)}`);
    const next = this.text[this.pos++];
    if (next === undefined) throw invalidArgument(`syntax error: missing '}'`);
    if (next === '}') return this.env.get(name) ?? '';
    // ${x:-word} / ${x:+word} test for unset or empty; ${x-word} / ${x+word} for unset only.
    const colon = next === ':';
    const modifier = colon ? this.text[this.pos++] : next;
    if (modifier !== '-' && modifier !== '+') {
      throw invalidArgument(`unsupported modifier (${modifier ?? ''}) in substitution`);
    }
    const word = this.until('}');
    const value = this.env.get(name);
    const set = value !== undefined && (!colon || value !== '');
    if (modifier === '-') return set ? value : word;
    return set ? word : '';
  }

  private name(): string {
    const m = /^(?:[A-Za-z_][A-Za-z0-9_]*|[0-9])/.exec(this.text.slice(this.pos));
    if (!m) return '';
    this.pos += m[0].length;
    return m[0];
  }
}
