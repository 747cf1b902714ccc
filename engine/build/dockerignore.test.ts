import { describe, expect, it } from 'vitest';
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
    [['[a-'], 'a', false], // malformed: matches nothing
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

  it('refuses a lone "!"', () => {
    expect(() => new PatternMatcher(['!'])).toThrow('illegal exclusion pattern: "!"');
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
