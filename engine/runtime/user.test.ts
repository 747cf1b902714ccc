import { describe, expect, it } from 'vitest';
import { resolveUser } from './user';

const passwd = 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\napp:x:1000:1000::/home/app:/bin/sh\n';
const group = 'root:x:0:\nwheel:x:10:app\nstaff:x:50:app,other\napp:x:1000:\nnogroup:x:65534:\n';

describe('resolveUser', () => {
  it('is root with no USER', () => {
    expect(resolveUser('', passwd, group)).toEqual({ uid: 0, gid: 0, additionalGids: [], home: '/root' });
  });
  it('resolves a name with its primary group and memberships', () => {
    expect(resolveUser('app', passwd, group)).toEqual({ uid: 1000, gid: 1000, additionalGids: [10, 50], home: '/home/app' });
  });
  it('takes a numeric uid that is not in passwd, with gid 0', () => {
    expect(resolveUser('4242', passwd, group)).toMatchObject({ uid: 4242, gid: 0, home: '/' });
  });
  it('takes name:group and uid:gid', () => {
    expect(resolveUser('app:nogroup', passwd, group)).toMatchObject({ uid: 1000, gid: 65534, additionalGids: [] });
    expect(resolveUser('7:8', passwd, group)).toMatchObject({ uid: 7, gid: 8 });
  });
  it('refuses unknown names in runc words', () => {
    expect(() => resolveUser('ghost', passwd, group)).toThrow('unable to find user ghost: no matching entries in passwd file');
    expect(() => resolveUser('app:ghosts', passwd, group)).toThrow('unable to find group ghosts');
  });
  it('works on an image without /etc/passwd for numeric users', () => {
    expect(resolveUser('1:2', null, null)).toMatchObject({ uid: 1, gid: 2 });
    expect(() => resolveUser('app', null, null)).toThrow('unable to find user app');
  });
});
