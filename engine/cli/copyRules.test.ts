import { describe, expect, it } from 'vitest';
import { prepareArchiveCopy, rebaseName, splitCpArg, splitPathDirEntry } from './copyRules';

const file = (p: string, exists = true) => ({ path: p, exists, isDir: false });
const dir = (p: string, exists = true) => ({ path: p, exists, isDir: true });

// The cases of docker's cp documentation; each outcome is what docker cp did here.
describe("docker cp's rules", () => {
  it('tells the container argument from a local path', () => {
    expect(splitCpArg('c1:/etc/hosts')).toEqual({ container: 'c1', path: '/etc/hosts' });
    expect(splitCpArg('c1:relative')).toEqual({ container: 'c1', path: 'relative' });
    expect(splitCpArg('/abs:with:colons')).toEqual({ path: '/abs:with:colons' });
    expect(splitCpArg('./c1:x')).toEqual({ path: './c1:x' });
    expect(splitCpArg('-')).toEqual({ path: '-' });
  });

  it('a file: saved at a new path, into a directory, over a file; not into a missing directory/', () => {
    expect(prepareArchiveCopy(file('/dir/f'), file('/out/f1', false))).toEqual({ dstDir: '/out', rename: ['f', 'f1'] });
    expect(prepareArchiveCopy(file('/dir/f'), dir('/out/d'))).toEqual({ dstDir: '/out/d' });
    expect(prepareArchiveCopy(file('/dir/f'), file('/out/f1'))).toEqual({ dstDir: '/out', rename: ['f', 'f1'] });
    expect(prepareArchiveCopy(file('/dir/f'), file('/out/nodir/', false))).toEqual({ error: 'no such directory' });
  });

  it('a directory: created at a new path, into a directory, its content with /.; never over a file', () => {
    expect(prepareArchiveCopy(dir('/dir'), dir('/out/newdir', false))).toEqual({ dstDir: '/out', rename: ['dir', 'newdir'] });
    expect(prepareArchiveCopy(dir('/dir'), dir('/out/e'))).toEqual({ dstDir: '/out/e' });
    expect(prepareArchiveCopy(dir('/dir/.'), dir('/out/g'))).toEqual({ dstDir: '/out/g' });
    expect(prepareArchiveCopy(dir('/dir'), file('/out/f1'))).toEqual({ error: 'cannot copy directory' });
  });

  it('-L: the followed link\'s target goes by the link\'s name', () => {
    expect(prepareArchiveCopy({ ...file('/etc/shadow'), rebaseName: 'link' }, file('/out/lnkL', false))).toEqual({ dstDir: '/out', rename: ['link', 'lnkL'] });
  });

  it('splits paths and renames entries as moby does', () => {
    expect(splitPathDirEntry('/dir/.')).toEqual(['/dir', '.']);
    expect(splitPathDirEntry('/out/newdir/')).toEqual(['/out', 'newdir']);
    expect(splitPathDirEntry('/')).toEqual(['/', '/']);
    expect(rebaseName('dir/sub/s', 'dir', 'newdir')).toBe('newdir/sub/s');
    expect(rebaseName('directory/x', 'dir', 'new')).toBe('directory/x');
    expect(rebaseName('/bin/', '/', 'rootcopy')).toBe('rootcopy/bin/');
  });
});
