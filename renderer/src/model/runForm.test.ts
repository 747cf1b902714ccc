import { describe, expect, it } from 'vitest';
import { createOptionsFrom, emptyRunForm } from './runForm';

describe('the Run dialog form', () => {
  it('becomes CreateOptions with only what was filled in', () => {
    const form = { ...emptyRunForm('starter:latest'), name: 'first', command: 'touch happiness.txt', interactive: false, tty: false };
    expect(createOptionsFrom(form)).toEqual({ options: { image: 'starter:latest', name: 'first', cmd: ['touch', 'happiness.txt'] }, problems: [] });
  });

  it('takes every option the CLI has', () => {
    const { options, problems } = createOptionsFrom({
      ...emptyRunForm('starter:latest'),
      entrypoint: '/bin/sh',
      autoRemove: true,
      env: ['A=1', '', ' B=two words '],
      workingDir: '/tmp',
      user: '65534:65534',
      hostname: 'box',
      binds: ['/srv:/data:ro', 'cache:/var/cache', '/scratch'],
      network: 'e2e-back',
      ports: ['127.0.0.1:8080:80', '53/udp'],
      labels: ['team=red', 'solo'],
      stopSignal: 'SIGINT',
      stopTimeout: '3',
      memory: '24m',
      pidsLimit: '64',
    });
    expect(problems).toEqual([]);
    expect(options).toEqual({
      image: 'starter:latest',
      entrypoint: ['/bin/sh'],
      tty: true,
      openStdin: true,
      autoRemove: true,
      env: ['A=1', 'B=two words'],
      workingDir: '/tmp',
      user: '65534:65534',
      hostname: 'box',
      binds: ['/srv:/data:ro', 'cache:/var/cache', '/scratch'],
      networkMode: 'e2e-back',
      portBindings: { '80/tcp': [{ HostIp: '127.0.0.1', HostPort: '8080' }], '53/udp': [{ HostIp: '', HostPort: '' }] },
      labels: { team: 'red', solo: '' },
      stopSignal: 'SIGINT',
      stopTimeout: 3,
      memory: 24 << 20,
      pidsLimit: 64,
    });
  });

  it('says what is wrong, in the CLI’s words, row by row', () => {
    const { problems } = createOptionsFrom({
      ...emptyRunForm(''),
      name: '-bad',
      env: ['A=1', 'JUSTNAME'],
      binds: ['-data:/data', '/srv:/data:rx', 'relative'],
      ports: ['8080:80', '8080:http'],
      workingDir: 'relative',
      stopSignal: 'SIGNOPE',
      stopTimeout: 'soon',
      memory: '24 megs',
      pidsLimit: 'many',
    });
    expect(problems.map((p) => [p.field, p.index])).toEqual([
      ['name', undefined],
      ['env', 1],
      ['workingDir', undefined],
      ['binds', 0],
      ['binds', 1],
      ['binds', 2],
      ['ports', 1],
      ['stopSignal', undefined],
      ['stopTimeout', undefined],
      ['memory', undefined],
      ['pidsLimit', undefined],
      ['image', undefined],
    ]);
    // The engine's own words: a volume's name, a mode, a path that is not absolute, a port.
    expect(problems.filter((p) => p.field === 'binds').map((p) => p.message)).toEqual([
      expect.stringMatching(/^create -data: "-data" includes invalid characters for a local volume name/),
      'invalid mode: rx',
      expect.stringMatching(/^invalid volume specification: 'relative': .* mount path must be absolute$/),
    ]);
    expect(problems.find((p) => p.field === 'ports')?.message).toBe('invalid containerPort: http');
    // -m and --pids-limit as docker refuses them.
    expect(problems.find((p) => p.field === 'memory')?.message).toBe("invalid size: '24 megs'");
    expect(problems.find((p) => p.field === 'pidsLimit')?.message).toBe('invalid argument "many" for "--pids-limit" flag: strconv.ParseInt: parsing "many": invalid syntax');
  });
});

describe('the image', () => {
  it('is one of the store’s, a name to pull (digest and all), or an id; anything else is no reference', () => {
    for (const image of ['starter:latest', 'ubuntu', `127.0.0.1:5000/e2e/base@sha256:${'0'.repeat(64)}`, '0123abcd', `sha256:${'f'.repeat(64)}`]) {
      expect(createOptionsFrom(emptyRunForm(image)).problems, image).toEqual([]);
    }
    for (const image of ['Ubuntu', 'ubuntu:', 'two words']) {
      expect(createOptionsFrom(emptyRunForm(image)).problems, image).toEqual([{ field: 'image', message: expect.stringMatching(/^invalid reference format/) }]);
    }
  });
});
