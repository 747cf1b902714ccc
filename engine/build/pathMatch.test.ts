import { describe, expect, it } from 'vitest';
import { hasWildcards, pathMatch } from './pathMatch';

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
