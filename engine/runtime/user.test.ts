import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fileLines, imageUserFiles, resolveUser, userFileLimits, type UserFiles } from './user';

const passwd = 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\napp:x:1000:1000::/home/app:/bin/sh\n';
const group = 'root:x:0:\nwheel:x:10:app\nstaff:x:50:app,other\napp:x:1000:\nnogroup:x:65534:\n';

/** User files given as text (null: the image has no such file). */
const files = (p: string | null, g: string | null): UserFiles => ({
  passwd: () => p?.split('\n') ?? [],
  group: () => g?.split('\n') ?? [],
});

describe('resolveUser', () => {
  it('is root with no USER', () => {
    expect(resolveUser('', files(passwd, group))).toEqual({ uid: 0, gid: 0, additionalGids: [], home: '/root' });
  });
  it('resolves a name with its primary group and memberships', () => {
    expect(resolveUser('app', files(passwd, group))).toEqual({ uid: 1000, gid: 1000, additionalGids: [10, 50], home: '/home/app' });
  });
  it('takes a numeric uid that is not in passwd, with gid 0', () => {
    expect(resolveUser('4242', files(passwd, group))).toMatchObject({ uid: 4242, gid: 0, home: '/' });
  });
  it('takes name:group and uid:gid', () => {
    expect(resolveUser('app:nogroup', files(passwd, group))).toMatchObject({ uid: 1000, gid: 65534, additionalGids: [] });
    expect(resolveUser('7:8', files(passwd, group))).toMatchObject({ uid: 7, gid: 8 });
  });
  it('refuses unknown names in runc words', () => {
    expect(() => resolveUser('ghost', files(passwd, group))).toThrow('unable to find user ghost: no matching entries in passwd file');
    expect(() => resolveUser('app:ghosts', files(passwd, group))).toThrow('unable to find group ghosts');
  });
  it('works on an image without /etc/passwd for numeric users', () => {
    expect(resolveUser('1:2', files(null, null))).toMatchObject({ uid: 1, gid: 2 });
    expect(() => resolveUser('app', files(null, null))).toThrow('unable to find user app');
  });
  it('reads passwd only as far as the first match', () => {
    let read = 0;
    const counting: UserFiles = {
      *passwd() {
        for (const line of passwd.split('\n')) {
          read++;
          yield line;
        }
        throw new Error('read past the match');
      },
      group: () => [],
    };
    expect(resolveUser('root:0', counting).uid).toBe(0);
    expect(read).toBe(1);
  });
});

/** The whole-file resolver this replaced, kept as the reference the streaming one must agree with. */
function reference(spec: string, p: string, g: string): { uid: number; gid: number; additionalGids: number[]; home: string } | string {
  const numeric = (s: string) => /^\d+$/.test(s);
  const rows = (text: string, min: number) =>
    text
      .split('\n')
      .map((l) => l.trim().split(':'))
      .filter((f) => f[0] !== '' && !f[0].startsWith('#') && f.length >= min && numeric(f[2]) && (min < 6 || numeric(f[3])));
  const users = rows(p, 6).map((f) => ({ name: f[0], uid: Number(f[2]), gid: Number(f[3]), home: f[5] }));
  const groups = rows(g, 3).map((f) => ({ name: f[0], gid: Number(f[2]), members: (f[3] ?? '').split(',').filter(Boolean) }));
  const [u, gp] = spec ? spec.split(':', 2) : ['', undefined];
  const entry = !u
    ? users.find((x) => x.uid === 0) ?? { name: 'root', uid: 0, gid: 0, home: '/root' }
    : numeric(u)
      ? users.find((x) => x.uid === Number(u)) ?? { name: '', uid: Number(u), gid: 0, home: '/' }
      : users.find((x) => x.name === u);
  if (!entry) return `unable to find user ${u}`;
  let gid = entry.gid;
  if (gp) {
    const named = numeric(gp) ? { gid: Number(gp) } : groups.find((x) => x.name === gp);
    if (!named) return `unable to find group ${gp}`;
    gid = named.gid;
  }
  const additionalGids = gp === undefined && entry.name ? groups.filter((x) => x.members.includes(entry.name) && x.gid !== gid).map((x) => x.gid) : [];
  return { uid: entry.uid, gid, additionalGids, home: entry.home || '/' };
}

describe('resolveUser, property-based', () => {
  const name = fc.constantFrom('root', 'app', 'nobody', 'x', 'daemon', '#c', '');
  const id = fc.oneof(fc.constantFrom('0', '1', '1000', '65534'), fc.constantFrom('', 'abc', '-1'));
  const passwdLine = fc.oneof(
    fc.tuple(name, id, id, fc.constantFrom('/root', '', '/home/app')).map(([n, u, g, h]) => `${n}:x:${u}:${g}::${h}:/bin/sh`),
    fc.string({ maxLength: 12 }),
  );
  const groupLine = fc.oneof(
    fc.tuple(name, id, fc.array(name, { maxLength: 3 })).map(([n, g, m]) => `${n}:x:${g}:${m.join(',')}`),
    fc.string({ maxLength: 12 }),
  );
  const text = (line: fc.Arbitrary<string>) => fc.array(line, { maxLength: 8 }).map((ls) => ls.join('\n'));
  const spec = fc.oneof(
    fc.constant(''),
    name,
    id,
    fc.tuple(fc.oneof(name, id), fc.oneof(name, id)).map(([a, b]) => `${a}:${b}`),
  );

  it('agrees with the whole-file reference on any user files', () => {
    fc.assert(
      fc.property(spec, text(passwdLine), text(groupLine), (s, p, g) => {
        const expected = reference(s, p, g);
        let actual: ReturnType<typeof reference>;
        try {
          actual = resolveUser(s, files(p, g));
        } catch (err) {
          actual = (err as Error).message.replace(/: no matching entries in (passwd|group) file$/, '');
        }
        expect(actual).toEqual(expected);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('fileLines', () => {
  let dir: string;
  beforeAll(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'strata-lines-'))));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  const linesOf = (content: string | Buffer, chunk: number) => {
    const file = path.join(dir, 'f');
    fs.writeFileSync(file, content);
    const fd = fs.openSync(file, 'r');
    try {
      return [...fileLines(fd, '/etc/passwd', chunk)];
    } finally {
      fs.closeSync(fd);
    }
  };

  it('splits lines the same at every chunk size, multi-byte characters included', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ unit: 'grapheme', maxLength: 20 }), { maxLength: 10 }), fc.integer({ min: 1, max: 40 }), (lines, chunk) => {
        const text = lines.map((l) => l.replaceAll('\n', ' ')).join('\n');
        const expected = text === '' ? [] : text.split('\n').filter((l, i, all) => i < all.length - 1 || l !== '');
        expect(linesOf(text, chunk)).toEqual(expected);
      }),
      { numRuns: 500 },
    );
  });

  it('refuses a line or a file beyond the limits, with one line naming the file', () => {
    expect(() => linesOf(`root:x:0:0::/root:/bin/sh\n${'a'.repeat(userFileLimits.maxLine + 1)}\n`, 4096)).toThrow(
      '/etc/passwd in the image has a line longer than 64 KiB',
    );
    const big = path.join(dir, 'big');
    fs.writeFileSync(big, '');
    fs.truncateSync(big, userFileLimits.maxBytes + 1); // sparse: no disk, all newlines would be NULs, one long line
    const fd = fs.openSync(big, 'r');
    try {
      expect(() => [...fileLines(fd, '/etc/group')]).toThrow(/\/etc\/group in the image has a line longer than 64 KiB|larger than 64 MiB/);
    } finally {
      fs.closeSync(fd);
    }
  });
});

describe('an image whose /etc/passwd is huge', () => {
  let root: string;
  beforeAll(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'strata-huge-passwd-'));
    fs.mkdirSync(path.join(root, 'etc'));
    const file = path.join(root, 'etc', 'passwd');
    // 1.5 GB, almost all of it a hole: root comes first, the rest is never read.
    fs.writeFileSync(file, 'root:x:0:0:root:/root:/bin/sh\napp:x:1000:1000::/home/app:/bin/sh\n');
    fs.truncateSync(file, 1.5e9);
    fs.writeFileSync(path.join(root, 'etc', 'group'), 'root:x:0:\n');
  });
  afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

  it('resolves users near the top without reading it whole', () => {
    const before = process.memoryUsage().rss;
    expect(resolveUser('', imageUserFiles([root]))).toMatchObject({ uid: 0, home: '/root' });
    expect(resolveUser('app', imageUserFiles([root]))).toMatchObject({ uid: 1000, gid: 1000 });
    expect(process.memoryUsage().rss - before).toBeLessThan(64 << 20);
  });

  it('refuses a user it would have to read past the limit to find', () => {
    expect(() => resolveUser('ghost', imageUserFiles([root]))).toThrow(/\/etc\/passwd in the image (is larger than 64 MiB|has a line longer than 64 KiB)/);
  });
});
