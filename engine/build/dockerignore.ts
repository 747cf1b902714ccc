// `.dockerignore` with the rules of the docker CLI (ReadAll) and moby's
// patternmatcher: one pattern a line, `#` lines are comments, blank lines
// skipped, each pattern cleaned like a path (a leading `/` or `./` dropped);
// `!` makes an exception that re-includes. Patterns are Go filepath.Match
// syntax plus `**` (any number of directories, even none). A path starts
// from its directory's answer and every pattern is tried on it in order:
// the last that matches decides. A directory that is excluded is not walked,
// unless an exception pattern names something below it. The Dockerfile and
// .dockerignore are read whatever the patterns say, but like every other
// path they cannot be copied when excluded (Docker removes them).

import path from 'node:path';

interface Pattern {
  /** As cleaned, without the `!`. */
  text: string;
  exclusion: boolean;
  regex: RegExp | null; // null: malformed, matches nothing
}

/** The patterns of a .dockerignore file, as the docker CLI reads them. */
export function readDockerignore(text: string): string[] {
  const out: string[] = [];
  let first = true;
  for (let line of text.split('\n')) {
    if (first && line.startsWith('\ufeff')) line = line.slice(1);
    first = false;
    if (line.startsWith('#')) continue;
    let pattern = line.trim();
    if (pattern === '') continue;
    const invert = pattern.startsWith('!');
    if (invert) pattern = pattern.slice(1).trim();
    if (pattern !== '') {
      pattern = path.posix.normalize(pattern).replace(/\/+$/, '') || '/';
      if (pattern.length > 1 && pattern.startsWith('/')) pattern = pattern.slice(1);
    }
    out.push(invert ? `!${pattern}` : pattern);
  }
  return out;
}

export class PatternMatcher {
  private readonly patterns: Pattern[];

  constructor(patterns: readonly string[]) {
    this.patterns = [];
    for (const raw of patterns) {
      let text = raw.trim();
      if (text === '') continue;
      const exclusion = text.startsWith('!');
      if (exclusion) {
        text = text.slice(1);
        if (text === '') throw new Error('illegal exclusion pattern: "!"');
      }
      text = path.posix.normalize(text).replace(/(.)\/+$/, '$1');
      this.patterns.push({ text, exclusion, regex: compile(text) });
    }
  }

  get empty(): boolean {
    return this.patterns.length === 0;
  }

  /**
   * moby's MatchesUsingParentResult: starting from the parent directory's
   * answer, every pattern is tried on the path itself in order; an exception
   * only matters once excluded, a pattern only while not.
   */
  matches(file: string, parentExcluded: boolean): boolean {
    let matched = parentExcluded;
    for (const p of this.patterns) {
      if (p.exclusion !== matched || p.regex === null) continue;
      if (p.regex.test(file)) matched = !p.exclusion;
    }
    return matched;
  }

  /** For an excluded directory: true when an exception pattern may re-include something below it. */
  mustWalk(dir: string): boolean {
    const prefix = `${dir}/`;
    return this.patterns.some((p) => p.exclusion && `${p.text}/`.startsWith(prefix));
  }

  /**
   * Whether a context path ('/'-separated, relative) is left out, as the
   * docker CLI's walk decides: excluded itself, or below an excluded
   * directory that the walk skipped.
   */
  excludes(file: string): boolean {
    const parts = file.split('/');
    let excluded = false;
    for (let i = 1; i <= parts.length; i++) {
      const prefix = parts.slice(0, i).join('/');
      excluded = this.matches(prefix, excluded);
      if (excluded && i < parts.length && !this.mustWalk(prefix)) return true;
    }
    return excluded;
  }
}

const special = '.+()|{}$';
const literal = (ch: string) => (/[\\^$.|?*+()[\]{}/]/.test(ch) ? `\\${ch}` : ch);

/** patternmatcher's regexp: `*` and `?` stop at '/', `**` spans directories. */
function compile(pattern: string): RegExp | null {
  const chars = [...pattern];
  let re = '^';
  for (let i = 0; i < chars.length; i++) {
    const ch = chars[i];
    if (ch === '*') {
      if (chars[i + 1] === '*') {
        i++;
        if (chars[i + 1] === '/') i++; // "**/" is "**"
        re += i + 1 >= chars.length ? '.*' : '(.*/)?';
      } else re += '[^/]*';
    } else if (ch === '?') re += '[^/]';
    else if (special.includes(ch)) re += `\\${ch}`;
    else if (ch === '\\') re += i + 1 < chars.length ? literal(chars[++i]) : '\\\\';
    else re += ch;
  }
  try {
    return new RegExp(`${re}$`, 'su');
  } catch {
    return null;
  }
}
