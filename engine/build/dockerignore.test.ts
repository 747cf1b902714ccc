import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { goPatterns } from '../testing/goPatterns';
import { PatternMatcher, readDockerignore } from './dockerignore';

describe('readDockerignore', () => {
  it('drops comments and blanks, cleans patterns, keeps exceptions', () => {
    const text = '\ufeff# comment\n\n  node_modules  \n/abs/path\n./rel\ndir/\n! keep.txt\na/../b\n #not a comment\n**/*.log\n';
    expect(readDockerignore(text)).toEqual(['node_modules', 'abs/path', 'rel', 'dir', '!keep.txt', 'b', '#not a comment', '**/*.log']);
  });
});

describe('PatternMatcher.excludes', () => {
  // [patterns, path, excluded]: Docker's (moby patternmatcher) answers.
  const table: Array<[string[], string, boolean]> = [
    [['*.md'], 'README.md', true],
    [['*.md'], 'docs/README.md', false], // * does not cross '/'
    [['**/*.md'], 'docs/README.md', true],
    [['**/*.md'], 'README.md', true], // ** may be no directory at all
    [['**/*.md'], 'a/b/c/README.md', true],
    [['docs/**'], 'docs/a/b.txt', true],
    [['docs/**'], 'docs', false],
    [['docs'], 'docs/a/b.txt', true], // a parent directory matches
    [['doc?'], 'docs', true],
    [['doc?'], 'doc/s', false],
    [['[a-c]*'], 'banana', true],
    [['[^a-c]*'], 'banana', false],
    [['*'], 'anything', true],
    [['*', '!keep'], 'keep', false],
    [['*', '!keep'], 'other', true],
    [['!keep', '*'], 'keep', true], // the last matching line wins
    [['dir', '!dir/keep'], 'dir/keep', false],
    [['dir', '!dir/keep'], 'dir/other', true],
    [['dir', '!dir/keep'], 'dir/keep/deep', false],
    [['*.txt', '!important.txt', 'important.txt'], 'important.txt', true],
    [['a/*/c'], 'a/b/c', true],
    [['a/*/c'], 'a/b/x/c', false],
    [['a/**/c'], 'a/b/x/c', true],
    [['a/**/c'], 'a/c', true],
    [['file.(1)'], 'file.(1)', true], // regexp specials are literal
    [['a+b'], 'aab', false],
    [['\\*'], '*', true],
    [['\\*'], 'x', false],
    [['.git'], '.git/config', true],
    [['Dockerfile'], 'sub/Dockerfile', false],
  ];
  it.each(table)('%j excludes %s: %s', (patterns, file, excluded) => {
    expect(new PatternMatcher(patterns).excludes(file)).toBe(excluded);
  });

  it('leaves out what real Docker 20.10 left out of this context', () => {
    // .dockerignore and tree from a DOCKER_BUILDKIT=0 build whose `COPY . /c/` kept exactly `kept`.
    const m = new PatternMatcher(readDockerignore('**/*.md\ndocs/**\ndir\n!dir/keep\nfile.(1)\na+b\n[^a-c]*\n*.txt\n!important.txt\nDockerfile\n'));
    const tree = ['.dockerignore', 'Dockerfile', 'README.md', 'aab', 'banana', 'dir/keep/k', 'dir/other', 'docs/a/x.md', 'docs/b.txt', 'file.(1)', 'important.txt', 'other.txt', 'sub/Dockerfile'];
    const kept = ['aab', 'banana', 'dir/keep/k', 'important.txt'];
    expect(tree.filter((f) => !m.excludes(f))).toEqual(kept);
  });

  it('refuses a lone "!" and a malformed pattern, as moby does', () => {
    expect(() => new PatternMatcher(['!'])).toThrow('illegal exclusion pattern: "!"');
    expect(() => new PatternMatcher(['[a-'])).toThrow('syntax error in pattern');
    expect(() => new PatternMatcher(['a', '!b\\'])).toThrow('syntax error in pattern');
  });
});

describe('PatternMatcher.mustWalk', () => {
  it('walks an excluded directory only when an exception points inside it', () => {
    const m = new PatternMatcher(['dir', 'other', '!dir/keep']);
    expect(m.mustWalk('dir')).toBe(true);
    expect(m.mustWalk('other')).toBe(false);
    expect(m.mustWalk('di')).toBe(false);
  });
});

/** Patterns from pieces that mean something to patternmatcher, and paths made from them. */
const patternPiece = fc.oneof(
  fc.constantFrom('a', 'b', '.', '(', ')', '+', '$', '|', '{', '}', '2', ',', '^', '-', 'é').map((c) => fc.constant([c, c] as const)),
  fc.constantFrom('a{2}', 'a{1,}', 'a{0,2}', '{1}').map((r) => fc.tuple(fc.constant(r), fc.constantFrom('a', 'aa', 'aaa', r))),
  fc.constant(fc.tuple(fc.constant('*'), fc.string({ unit: fc.constantFrom('a', 'b', '.'), maxLength: 3 }))),
  fc.constant(fc.tuple(fc.constant('**'), fc.constantFrom('', 'a', 'a/', 'a/b/', 'b.'))),
  fc.constant(fc.tuple(fc.constant('/'), fc.constant('/'))),
  fc.constant(fc.tuple(fc.constant('?'), fc.constantFrom('a', 'é', '.'))),
  fc.constantFrom('[ab]', '[^a]', '[a-c]', '[*]', '[?]', '[\\]]', '[[:alpha:]]', '[\\d]').map((cls) => fc.tuple(fc.constant(cls), fc.constantFrom('a', 'b', '/', ']', '1', '['))),
  fc.constantFrom('\\*', '\\.', '\\d', '\\a').map((esc) => fc.tuple(fc.constant(esc), fc.constantFrom(esc.slice(1), '1', 'a'))),
).chain((arb) => arb);
const patternAndPath = fc
  .tuple(fc.array(patternPiece, { minLength: 1, maxLength: 6 }), fc.boolean())
  .map(([pieces, negate]) => [`${negate ? '!' : ''}${pieces.map((p) => p[0]).join('')}`, pieces.map((p) => p[1]).join('')] as const);
const segment = fc.constantFrom('a', 'b', 'ab', 'a.b', '.a', 'é', '(a)', 'b$', '1');
const anyPath = fc.array(segment, { minLength: 1, maxLength: 4 }).map((s) => s.join('/'));

describe('PatternMatcher against moby patternmatcher (property)', () => {
  let go: ReturnType<typeof goPatterns>;
  beforeAll(() => (go = goPatterns()));
  afterAll(() => go?.dispose());

  it('gives patternmatcher\'s answer (MatchesUsingParentResult) and its errors for generated pattern lists and paths', () => {
    const cases = fc.sample(
      fc.record({
        patterns: fc.array(fc.oneof(patternAndPath, fc.tuple(fc.string({ unit: fc.constantFrom('a', '*', '/', '[', ']', '\\', '!', '?', '^'), minLength: 1, maxLength: 6 }), anyPath)), { minLength: 1, maxLength: 3 }),
        other: anyPath,
        useOther: fc.boolean(),
        parent: fc.boolean(),
      }),
      { numRuns: 3000, seed: 18 },
    ).map((c) => ({ patterns: c.patterns.map((p) => p[0]).filter((p) => !p.startsWith('!!')), name: c.useOther ? c.other : c.patterns[0]![1], parent: c.parent }));
    const answers = go.ask(cases.map((c) => ({ kind: 'ignore', ...c })));
    const ours = (c: (typeof cases)[number]) => {
      try {
        return new PatternMatcher(c.patterns).matches(c.name, c.parent);
      } catch (err) {
        return (err as Error).message;
      }
    };
    const wrong = cases.map((c, i) => ({ ...c, go: answers[i]!.err ?? answers[i]!.match, strata: ours(c) })).filter((c) => c.go !== c.strata);
    expect(wrong.slice(0, 5)).toEqual([]);
    expect(answers.filter((a) => a.match).length).toBeGreaterThan(cases.length / 5);
  });
});

describe('PatternMatcher takes time linear in its input', () => {
  it('answers patterns that make a backtracking matcher run for minutes, at once', () => {
    const deep = `${'d/'.repeat(400)}file`;
    const long = 'a'.repeat(5000);
    const t0 = performance.now();
    expect(new PatternMatcher(['**/'.repeat(10) + 'x']).excludes(deep)).toBe(false);
    expect(new PatternMatcher(['**/'.repeat(10) + 'file']).excludes(deep)).toBe(true);
    expect(new PatternMatcher([`${'*a'.repeat(40)}c`]).excludes(long)).toBe(false);
    const slashes = `x/${'a/'.repeat(300)}b`;
    expect(new PatternMatcher([`x/${'**/a/'.repeat(10)}c`]).matches(slashes, false)).toBe(false);
    expect(new PatternMatcher([`x/${'**/a/'.repeat(10)}b`]).matches(slashes, false)).toBe(true);
    // Generous for a shared machine: the regexps this replaced took minutes.
    expect(performance.now() - t0).toBeLessThan(2000);
  });
});
