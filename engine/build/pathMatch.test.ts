import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { goPatterns } from '../testing/goPatterns';
import { goMatch, hasWildcards, pathMatch } from './pathMatch';

describe('pathMatch (Go filepath.Match)', () => {
  const table: Array<[string, string, boolean]> = [
    ['*.txt', 'a.txt', true],
    ['*.txt', 'sub/a.txt', false],
    ['sub/*.txt', 'sub/a.txt', true],
    ['*', '', true],
    ['a?c', 'abc', true],
    ['a?c', 'a/c', false],
    ['[abc]x', 'bx', true],
    ['[^abc]x', 'bx', false],
    ['[^abc]x', 'dx', true],
    ['[a-c]', 'b', true],
    ['[a-c]', 'd', false],
    ['a[/]b', 'a/b', true], // a class may match the separator
    ['\\*', '*', true],
    ['\\*', 'x', false],
    ['[\\]]', ']', true],
    ['[\\-]', '-', true],
    ['a.b', 'axb', false],
    ['(x)', '(x)', true],
    ['[', '[', false], // malformed
    ['[]a]', 'a', false], // malformed: a class needs a range before ']'
    ['a\\', 'a', false], // a trailing escape is malformed
    ['[z-a]', 'b', false],
    ['héllo*', 'héllo.txt', true],
  ];
  it.each(table)('%s ~ %s: %s', (pattern, name, want) => expect(pathMatch(pattern, name)).toBe(want));
});

describe('hasWildcards', () => {
  it.each([
    ['a.txt', false],
    ['*.txt', true],
    ['a?', true],
    ['[ab]', true],
    ['a\\*', false],
  ] as const)('%s: %s', (name, want) => expect(hasWildcards(name)).toBe(want));
});

/** A pattern made of well-formed pieces, and a name made from it (so that many match). */
const piece = fc.oneof(
  fc.constantFrom('a', 'b', '.', 'é', '-', '/').map((c) => fc.constant([c, c] as const)),
  fc.constant(fc.tuple(fc.constant('*'), fc.string({ unit: fc.constantFrom('a', 'b', '/', 'é'), maxLength: 3 }))),
  fc.constant(fc.tuple(fc.constant('?'), fc.constantFrom('a', '/', 'é'))),
  fc.constantFrom('[ab]', '[^a]', '[a-c]', '[/]', '[\\]]', '[é-ê]', '[^/]').map((cls) => fc.tuple(fc.constant(cls), fc.constantFrom('a', 'b', '/', ']', 'é'))),
  fc.constantFrom('\\*', '\\?', '\\[', '\\a').map((esc) => fc.constant([esc, esc.slice(1)] as const)),
).chain((arb) => arb);
const instantiated = fc.array(piece, { maxLength: 7 }).map((pieces) => [pieces.map((p) => p[0]).join(''), pieces.map((p) => p[1]).join('')] as [string, string]);

describe('pathMatch against Go (property)', () => {
  let go: ReturnType<typeof goPatterns>;
  beforeAll(() => (go = goPatterns()));
  afterAll(() => go?.dispose());

  it("gives Go's filepath.Match answer (and its syntax errors) for generated patterns and names", () => {
    const pattern = fc.string({ unit: fc.constantFrom('a', 'b', '/', '*', '?', '[', ']', '^', '-', '\\', '.', 'é', '!'), maxLength: 9 });
    const name = fc.string({ unit: fc.constantFrom('a', 'b', '/', '-', ']', '^', '.', 'é', '\\', '*', '['), maxLength: 9 });
    const cases = [...fc.sample(fc.tuple(pattern, name), { numRuns: 3000, seed: 18 }), ...fc.sample(instantiated, { numRuns: 20000, seed: 2 })];
    const answers = go.ask(cases.map(([p, n]) => ({ kind: 'match', pattern: p, name: n })));
    const wrong = cases
      .map(([p, n], i) => ({ p, n, go: answers[i]!.err ? 'bad pattern' : answers[i]!.match, strata: goMatch(p, n) }))
      .filter((c) => c.go !== c.strata);
    expect(wrong.slice(0, 5)).toEqual([]);
  });
});

describe('pathMatch takes time linear in its input', () => {
  it('answers patterns that make a backtracking matcher run for minutes, at once', () => {
    const name = 'a'.repeat(5000);
    const t0 = performance.now();
    expect(pathMatch(`${'*a'.repeat(40)}c`, name)).toBe(false);
    expect(pathMatch(`${'*a'.repeat(40)}`, name)).toBe(true);
    expect(pathMatch(`${'?*'.repeat(40)}b`, name)).toBe(false);
    // Generous for a shared machine: the regexps this replaced took minutes.
    expect(performance.now() - t0).toBeLessThan(2000);
  });
});
