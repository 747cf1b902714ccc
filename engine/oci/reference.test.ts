import { describe, expect, it } from 'vitest';
import { familiarName, familiarString, parseReference, tagName, validateContainerName, withDefaultTag } from './reference';

const hex64 = 'ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff';

describe('parseReference', () => {
  // Cases from distribution/reference's tests (Parse and ParseNormalizedNamed).
  it.each([
    ['busybox', 'docker.io', 'library/busybox', undefined, undefined],
    ['busybox:1.36', 'docker.io', 'library/busybox', '1.36', undefined],
    ['docker.io/library/busybox:latest', 'docker.io', 'library/busybox', 'latest', undefined],
    ['index.docker.io/library/ubuntu', 'docker.io', 'library/ubuntu', undefined, undefined],
    ['library/ubuntu', 'docker.io', 'library/ubuntu', undefined, undefined],
    ['foo/bar', 'docker.io', 'foo/bar', undefined, undefined],
    ['test_com', 'docker.io', 'library/test_com', undefined, undefined],
    ['test.com:tag', 'docker.io', 'library/test.com', 'tag', undefined],
    ['test.com:5000', 'docker.io', 'library/test.com', '5000', undefined],
    ['test.com/repo:tag', 'test.com', 'repo', 'tag', undefined],
    ['test:5000/repo', 'test:5000', 'repo', undefined, undefined],
    ['test:5000/repo:tag', 'test:5000', 'repo', 'tag', undefined],
    [`test:5000/repo@sha256:${hex64}`, 'test:5000', 'repo', undefined, `sha256:${hex64}`],
    [`test:5000/repo:tag@sha256:${hex64}`, 'test:5000', 'repo', 'tag', `sha256:${hex64}`],
    ['localhost/foo', 'localhost', 'foo', undefined, undefined],
    ['localhost:5000/x/y:1', 'localhost:5000', 'x/y', '1', undefined],
    ['sub-dom1.foo.com/bar/baz/quux:some-long-tag', 'sub-dom1.foo.com', 'bar/baz/quux', 'some-long-tag', undefined],
    ['b.gcr.io/test.example.com/my-app:test.example.com', 'b.gcr.io', 'test.example.com/my-app', 'test.example.com', undefined],
    ['xn--n3h.com/myimage:xn--n3h.com', 'xn--n3h.com', 'myimage', 'xn--n3h.com', undefined],
    ['foo_bar.com:8080', 'docker.io', 'library/foo_bar.com', '8080', undefined],
    ['foo/foo_bar.com:8080', 'docker.io', 'foo/foo_bar.com', '8080', undefined],
    ['Uppercase/lowercase:tag', 'Uppercase', 'lowercase', 'tag', undefined],
    ['lowercase:Uppercase', 'docker.io', 'library/lowercase', 'Uppercase', undefined],
    ['a__b/c---d.e:t', 'docker.io', 'a__b/c---d.e', 't', undefined],
    ['[2001:db8::1]:5000/repo', '[2001:db8::1]:5000', 'repo', undefined, undefined],
    // The 255-character limit counts the domain: x.io/ + 250 = 255.
    [`x.io/${'a/'.repeat(124)}aa:tag-puts-this-over-max`, 'x.io', `${'a/'.repeat(124)}aa`, 'tag-puts-this-over-max', undefined],
  ])('%s', (input, domain, path, tag, digest) => {
    expect(parseReference(input)).toEqual({ domain, path, tag, digest });
  });

  it.each([
    ['', 'invalid reference format'],
    [':justtag', 'invalid reference format'],
    [`@sha256:${hex64}`, 'invalid reference format'],
    ['aa/asdf$$^/aa', 'invalid reference format'],
    ['a b', 'invalid reference format'],
    ['a///b', 'invalid reference format'],
    ['a___b', 'invalid reference format'],
    ['a.-b', 'invalid reference format'],
    ['-a', 'invalid reference format'],
    ['a:', 'invalid reference format'],
    [`a:${'t'.repeat(129)}`, 'invalid reference format'],
    ['[2001:db8::1]', 'invalid reference format'],
    ['Uppercase:tag', 'invalid reference format: repository name must be lowercase'],
    ['FOO', 'invalid reference format: repository name must be lowercase'],
    ['test:5000/Uppercase/lowercase:tag', 'invalid reference format: repository name must be lowercase'],
    [`x.io/${'a/'.repeat(124)}aaa:tag`, 'invalid reference format: repository name must not be more than 255 characters'],
    [`${'a/'.repeat(127)}a`, 'invalid reference format: repository name must not be more than 255 characters'],
    ['repo@sha256:ffffffffffffffffffffffffffffffffff', 'invalid reference format: invalid checksum digest length'],
    [`validname@invaliddigest:${hex64}`, 'invalid reference format: unsupported digest algorithm'],
    [hex64.replace(/f/g, 'a'), `invalid repository name (${hex64.replace(/f/g, 'a')}), cannot specify 64-byte hexadecimal strings`],
  ])('refuses %j', (input, message) => {
    expect(() => parseReference(input)).toThrow(expect.objectContaining({ code: 'InvalidArgument', message }));
  });
});

describe('familiar form', () => {
  it.each([
    ['busybox', 'busybox', 'busybox:latest'],
    ['docker.io/library/busybox', 'busybox', 'busybox:latest'],
    ['docker.io/library/busybox:1', 'busybox', 'busybox:1'],
    ['docker.io/foo/bar', 'foo/bar', 'foo/bar:latest'],
    ['library/a/b', 'library/a/b', 'library/a/b:latest'],
    ['localhost:5000/x/y:1', 'localhost:5000/x/y', 'localhost:5000/x/y:1'],
    ['quay.io/library/x', 'quay.io/library/x', 'quay.io/library/x:latest'],
  ])('%s → %s', (input, name, tagged) => {
    const ref = parseReference(input);
    expect(familiarName(ref)).toBe(name);
    expect(familiarString(withDefaultTag(ref))).toBe(tagged);
    expect(tagName(input)).toBe(tagged);
  });

  it('keeps a digest and adds no tag to it', () => {
    const ref = parseReference(`busybox@sha256:${hex64}`);
    expect(familiarString(withDefaultTag(ref))).toBe(`busybox@sha256:${hex64}`);
    expect(() => tagName(`busybox@sha256:${hex64}`)).toThrow('refusing to create a tag with a digest reference');
  });
});

describe('validateContainerName', () => {
  it('accepts Docker names and drops a leading slash', () => {
    expect(validateContainerName('web-1')).toBe('web-1');
    expect(validateContainerName('/My_box.2')).toBe('My_box.2');
  });

  it.each(['a', '-a', '_ab', 'a b', 'a/b', '', 'été'])('refuses %j with Docker\'s message', (name) => {
    expect(() => validateContainerName(name)).toThrow(
      `Invalid container name (${name}), only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed`,
    );
  });
});
