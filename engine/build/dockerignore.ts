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
import { LinearRegexp, RegexpSyntaxError } from './linearRegexp';
import { goMatch } from './pathMatch';

type Matcher = (file: string) => boolean;

interface Pattern {
  /** As cleaned, without the `!`. */
  text: string;
  exclusion: boolean;
  match: Matcher;
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

  /**
   * As moby's patternmatcher.New, then every pattern compiled (moby
   * compiles each when a path first meets it): a pattern Go's
   * filepath.Match or regexp calls malformed is refused up front.
   */
  constructor(patterns: readonly string[]) {
    const read: Array<{ text: string; exclusion: boolean }> = [];
    for (const raw of patterns) {
      let text = raw.trim();
      if (text === '') continue;
      text = goClean(text);
      const exclusion = text.startsWith('!');
      if (exclusion) {
        if (text === '!') throw new Error('illegal exclusion pattern: "!"');
        text = text.slice(1);
      }
      if (goMatch(text, '.') === 'bad pattern') throw new Error('syntax error in pattern');
      read.push({ text, exclusion });
    }
    this.patterns = read.map((p) => ({ ...p, match: compile(p.text) }));
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
      if (p.exclusion !== matched) continue;
      if (p.match(file)) matched = !p.exclusion;
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

/**
 * Characters the regexp escapes: special there, plain in filepath.Match.
 * patternmatcher means `.+()|{}$`, but its bitmap drops every character
 * from 64 up: `|`, `{` and `}` reach the regexp as they are (so `a|b` is
 * an alternation, `a{2}` a repetition), and Docker matches them so.
 */
const escaped = '.+()$';

/**
 * patternmatcher's compile: a plain name is compared as it is, a plain
 * prefix before a final `**` or suffix after a first `**` by prefix or
 * suffix, anything else as the regexp it builds (`*` and `?` stop at '/',
 * `**` spans directories, `[...]` and `\` pass through to the regexp),
 * matched in linear time.
 */
function compile(pattern: string): Matcher {
  const chars = [...pattern];
  let re = '^';
  let type: 'exact' | 'prefix' | 'suffix' | 'regexp' = 'exact';
  for (let i = 0, at = 0; at < chars.length; i++) {
    const ch = chars[at++]!;
    if (ch === '*') {
      if (chars[at] === '*') {
        at++;
        // "**/" is "**"
        if (chars[at] === '/') at++;
        if (at >= chars.length) {
          // A final "**" takes everything, as .gitignore.
          if (type === 'exact') type = 'prefix';
          else {
            re += '.*';
            type = 'regexp';
          }
        } else {
          re += '(.*/)?';
          type = 'regexp';
        }
        if (i === 0) type = 'suffix';
      } else {
        re += '[^/]*';
        type = 'regexp';
      }
    } else if (ch === '?') {
      re += '[^/]';
      type = 'regexp';
    } else if (escaped.includes(ch)) {
      re += `\\${ch}`;
    } else if (ch === '\\') {
      if (at < chars.length) {
        re += `\\${chars[at++]!}`;
        type = 'regexp';
      } else re += '\\';
    } else if (ch === '[' || ch === ']') {
      re += ch;
      type = 'regexp';
    } else re += ch;
  }
  if (type === 'exact') return (file) => file === pattern;
  if (type === 'prefix') {
    const prefix = pattern.slice(0, -2);
    return (file) => file.startsWith(prefix);
  }
  if (type === 'suffix') {
    const suffix = pattern.slice(2);
    // "**/foo" also matches "foo".
    return (file) => file.endsWith(suffix) || (suffix.startsWith('/') && file === suffix.slice(1));
  }
  let regexp: LinearRegexp;
  try {
    regexp = new LinearRegexp(`${re}$`);
  } catch (err) {
    if (err instanceof RegexpSyntaxError) throw new Error('syntax error in pattern');
    throw err;
  }
  return (file) => regexp.test(file);
}

/** Go's filepath.Clean, on '/'-separated paths. */
function goClean(p: string): string {
  const cleaned = path.posix.normalize(p);
  return cleaned.length > 1 && cleaned.endsWith('/') ? cleaned.slice(0, -1) : cleaned;
}
