import { describe, expect, it } from 'vitest';
import { ago, imageDates, instruction, layerTitle, percent, repoTag, shortDigest, shortId, size } from './format';

describe('format', () => {
  it('shortens ids and digests the way docker prints them', () => {
    expect(shortId('sha256:3f2a9c1e0b7d11223344')).toBe('3f2a9c1e0b7d');
    expect(shortId('3f2a9c1e0b7d11223344')).toBe('3f2a9c1e0b7d');
    expect(shortDigest('sha256:abcdef0123456789ff')).toBe('sha256:abcdef012345');
  });

  it('prints sizes with three significant digits in decimal units', () => {
    expect(size(0)).toBe('0B');
    expect(size(1_984_000)).toBe('1.98MB');
    expect(size(999)).toBe('999B');
  });

  it('prints times in go-units words', () => {
    expect(ago(100, 100_000 + 180_000)).toBe('3 minutes ago');
    expect(ago(0)).toBe('');
  });

  it('splits references into repository and tag', () => {
    expect(repoTag('myapp:v2')).toEqual({ repository: 'myapp', tag: 'v2' });
    expect(repoTag('localhost:5000/app')).toEqual({ repository: 'localhost:5000/app', tag: 'latest' });
    expect(repoTag(undefined)).toEqual({ repository: '<none>', tag: '<none>' });
  });

  it('writes history steps as instructions', () => {
    expect(instruction('/bin/sh -c #(nop)  ENV PATH=/bin')).toBe('ENV PATH=/bin');
    expect(instruction('/bin/sh -c apk add curl')).toBe('RUN apk add curl');
    expect(instruction('strata commit')).toBe('strata commit');
  });

  it('rounds percentages for the efficiency figure', () => {
    expect(percent(1)).toBe('100%');
    expect(percent(0.8734)).toBe('87.3%');
  });
});

describe('imageDates', () => {
  const now = Date.parse('2026-06-01T12:00:00Z');
  it('says when the store got an image made long before', () => {
    expect(imageDates(now / 1000 - 200 * 86400, now / 1000 - 120, now)).toEqual({ created: '6 months ago', added: 'added here 2 minutes ago' });
  });
  it('says only the created date when the image was made here', () => {
    expect(imageDates(now / 1000 - 60, now / 1000 - 59, now)).toEqual({ created: 'About a minute ago' });
  });
});

describe('layerTitle', () => {
  it('titles a committed layer by its message, with the command that made it beside', () => {
    expect(layerTitle({ createdBy: 'sh -c rm /bin/ls', comment: 'no more ls' })).toEqual({ title: 'no more ls', by: 'sh -c rm /bin/ls' });
    expect(layerTitle({ createdBy: '/bin/sh -c echo hi > /hi.txt', comment: '' })).toEqual({ title: 'RUN echo hi > /hi.txt' });
    expect(layerTitle({ createdBy: '', comment: 'Imported from -' })).toEqual({ title: 'Imported from -' });
  });
});
