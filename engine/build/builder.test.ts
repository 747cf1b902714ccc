// Builds of the fixture Dockerfiles on the real engine (kernel, shim, store),
// each checked on the image it made: files and the layer holding them,
// config, history and layer count. Expected created_by strings and configs
// are what Docker 20.10's classic builder recorded for the same contexts.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import zlib from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BuildMessage, BuildOptions } from '../api';
import type { ErrorPayload } from '../errors';
import { unionLookup, unionReadFile } from '../fs/union';
import { encodeHeader, endOfArchive, paddingFor } from '../fs/tarWriter';
import { tempEngine, type TempEngine } from '../testing/tempEngine';
import { build, newBuildId, type BuilderDeps } from './builder';
import { BuildProgress } from './progress';

let engine: TempEngine;
let work: string;

beforeAll(async () => {
  engine = await tempEngine();
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'strata-build-test-'));
});

afterAll(async () => {
  await engine.dispose();
  fs.rmSync(work, { recursive: true, force: true });
});

interface Outcome {
  messages: BuildMessage[];
  error?: ErrorPayload;
  id?: string;
}

function runBuild(opts: BuildOptions): Promise<Outcome> {
  return new Promise((resolve) => {
    const messages: BuildMessage[] = [];
    engine.client.open('image.build', opts, {
      onMessage: (m) => messages.push(m),
      onEnd: (error) => {
        const built = messages.find((m) => m.type === 'built');
        resolve({ messages, error, id: built?.type === 'built' ? built.id : undefined });
      },
    });
  });
}

async function built(opts: BuildOptions): Promise<Outcome & { id: string }> {
  const outcome = await runBuild(opts);
  expect(outcome.error, JSON.stringify(outcome.messages.filter((m) => m.type === 'output'))).toBeUndefined();
  return outcome as Outcome & { id: string };
}

let contexts = 0;

/** A fixture copied into a fresh context (files 0644, dirs 0755, as a checkout gives them). */
function fixture(name: string): string {
  const dir = path.join(work, `${name}-${contexts++}`);
  fs.cpSync(path.join(__dirname, 'fixtures', name), dir, { recursive: true });
  for (const rel of ['', ...fs.readdirSync(dir, { recursive: true }).map(String)]) {
    const p = path.join(dir, rel);
    fs.chmodSync(p, fs.statSync(p).isDirectory() ? 0o755 : 0o644);
  }
  return dir;
}

/** The every-instruction fixture's archive, made byte for byte the same each time. */
function writeArchive(dir: string): void {
  const content = Buffer.from('cfg\n');
  const tar = Buffer.concat([
    encodeHeader({ name: 'etc/', type: 'dir', mode: 0o755, uid: 7, gid: 8, size: 0, mtime: 1_700_000_000 }),
    encodeHeader({ name: 'etc/app.conf', type: 'file', mode: 0o644, uid: 7, gid: 8, size: content.length, mtime: 1_700_000_000 }),
    content,
    paddingFor(content.length),
    endOfArchive,
  ]);
  fs.writeFileSync(path.join(dir, 'archive.tar.gz'), zlib.gzipSync(tar));
}

const image = (ref: string) => engine.client.engine.images.store.images.resolveImage(ref);
const layerDirs = (id: string) => engine.client.engine.images.access.layers(id).dirs;
const read = (id: string, p: string) => unionReadFile(layerDirs(id), p)?.toString('utf8');
/** Which layer (0 = the base) holds the path the image shows. */
const layerOf = (id: string, p: string) => {
  const dirs = layerDirs(id);
  const hit = unionLookup(dirs, p);
  return hit ? dirs.length - 1 - hit.layer : null;
};
const history = (id: string) => (image(id).config.history ?? []).map((h) => h.created_by ?? '');
const cacheHits = (o: Outcome) => o.messages.filter((m) => m.type === 'cache').map((m) => (m.type === 'cache' ? m.hit : null));

describe('every instruction', () => {
  let ctx: string;
  let first: Outcome & { id: string };

  beforeAll(async () => {
    ctx = fixture('every-instruction');
    writeArchive(ctx);
    first = await built({ context: ctx, tags: ['every:1', 'every:also'] });
  });

  it('records history exactly as Docker does', () => {
    expect(history(first.id).slice(1)).toEqual([
      '/bin/sh -c #(nop)  ARG V=1',
      '/bin/sh -c #(nop)  ENV A=1 B=two words C=1',
      '/bin/sh -c #(nop)  ENV LEGACY=some value',
      '/bin/sh -c #(nop)  LABEL maintainer=me version=1',
      '/bin/sh -c #(nop)  MAINTAINER someone@example.com',
      '/bin/sh -c #(nop) WORKDIR /app',
      '/bin/sh -c #(nop) WORKDIR /app/sub',
      '/bin/sh -c #(nop) COPY file:00ec16333078d287782d462baefc8bb9eb0231dc3aefba3ca3e2f7e5cf0cadda in . ',
      '/bin/sh -c #(nop) COPY dir:616a919271908fc6f09e4b87f3fbc8f1692b64554fd109d84a80b34ea1249175 in /app/copied/ ',
      '/bin/sh -c #(nop) COPY --chown=1000:1000file:00ec16333078d287782d462baefc8bb9eb0231dc3aefba3ca3e2f7e5cf0cadda in /owned/a.txt ',
      '/bin/sh -c #(nop) ADD file:abec3de1539e45b476ac7095654806640d4b11297358ecfd000efbf5f2dcda06 in /opt/ ',
      '/bin/sh -c #(nop) ADD multi:3ca5e9b64b894eb6c8209c13da1539caad36d173b18fa2f17126946190d3e83a in /app/many/ ',
      '|1 V=1 /bin/sh -c echo run $A $V > /app/r.txt',
      '|1 V=1 sh -c echo exec > /app/e.txt',
      '/bin/sh -c #(nop)  USER 1000:1000',
      '/bin/sh -c #(nop)  EXPOSE 53/udp 80',
      '/bin/sh -c #(nop)  VOLUME [/data [/data2]]',
      '/bin/sh -c #(nop)  STOPSIGNAL SIGINT',
      `/bin/sh -c #(nop)  HEALTHCHECK &{["CMD-SHELL" "true"] "5s" "0s" "0s" '\\x03'}`,
      '/bin/sh -xc #(nop)  SHELL [/bin/sh -xc]',
      '|1 V=1 /bin/sh -xc echo shell',
      '/bin/sh -xc #(nop)  ONBUILD RUN echo onbuild',
      '/bin/sh -xc #(nop)  ENTRYPOINT ["sh"]',
      '/bin/sh -xc #(nop)  CMD ["-c" "echo hi"]',
    ]);
    // Docker's layers: the base, both WORKDIRs, the five copies, the two RUNs, and the RUN
    // after VOLUME (which made the volumes' mount points): 11.
    const c = image(first.id).config;
    expect(c.history!.map((h) => !h.empty_layer)).toEqual([true, false, false, false, false, false, true, true, true, true, true, true, true, true, true, false, false, false, false, false, false, true, false, false, false]);
    expect(c.rootfs.diff_ids).toHaveLength(11);
    expect(c.author).toBe('someone@example.com');
  });

  it('makes the config Docker makes', () => {
    expect(image(first.id).config.config).toEqual({
      User: '1000:1000',
      ExposedPorts: { '53/udp': {}, '80/tcp': {} },
      Env: ['PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', 'A=1', 'B=two words', 'C=1', 'LEGACY=some value'],
      Entrypoint: ['sh'],
      Cmd: ['-c', 'echo hi'],
      Healthcheck: { Test: ['CMD-SHELL', 'true'], Interval: 5_000_000_000, Retries: 3 },
      Volumes: { '/data': {}, '[/data2]': {} },
      WorkingDir: '/app/sub',
      Labels: { maintainer: 'me', version: '1' },
      StopSignal: 'SIGINT',
      OnBuild: ['RUN echo onbuild'],
      Shell: ['/bin/sh', '-xc'],
    });
  });

  it('puts each step\'s files in its own layer', () => {
    const id = first.id;
    expect([read(id, '/app/sub/a.txt'), layerOf(id, '/app/sub/a.txt')]).toEqual(['hello\n', 3]);
    expect([read(id, '/app/copied/b.txt'), layerOf(id, '/app/copied/c.md')]).toEqual(['world\n', 4]);
    const owned = unionLookup(layerDirs(id), '/owned/a.txt')!.stats;
    expect([owned.uid, owned.gid, layerOf(id, '/owned/a.txt')]).toEqual([1000, 1000, 5]);
    const conf = unionLookup(layerDirs(id), '/opt/etc/app.conf')!.stats;
    expect([read(id, '/opt/etc/app.conf'), conf.uid, conf.gid, layerOf(id, '/opt/etc/app.conf')]).toEqual(['cfg\n', 7, 8, 6]);
    expect([read(id, '/app/many/a.txt'), read(id, '/app/many/b.txt'), layerOf(id, '/app/many/b.txt')]).toEqual(['hello\n', 'world\n', 7]);
    expect([read(id, '/app/r.txt'), layerOf(id, '/app/r.txt')]).toEqual(['run 1 1\n', 8]);
    expect([read(id, '/app/e.txt'), layerOf(id, '/app/e.txt')]).toEqual(['exec\n', 9]);
    expect([unionLookup(layerDirs(id), '/data')!.stats.isDirectory(), layerOf(id, '/data'), layerOf(id, '/[/data2]')]).toEqual([true, 10, 10]);
  });

  it('leaves an intermediate image per step, each on the one before', () => {
    const chain: string[] = [];
    for (let id = first.id; id; id = image(id).parent) chain.push(id);
    expect(chain).toHaveLength(25); // 24 steps after FROM, and the starter image
    expect(chain.at(-1)).toBe(image(engine.image).id);
    expect(image('every:1').id).toBe(first.id);
    expect(image('every:also').id).toBe(first.id);
  });

  it('streams each step, its output, its container and its image', () => {
    const steps = first.messages.filter((m) => m.type === 'step');
    expect(steps[0]).toEqual({ type: 'step', step: 1, steps: 26, instruction: 'ARG BASE=starter' });
    expect(steps[3]).toMatchObject({ step: 4, instruction: 'ENV A=1 B="two words"     C=$V' });
    const shellStep = steps.find((m) => m.type === 'step' && m.instruction === 'RUN echo shell')!.step;
    const ofStep = first.messages.filter((m) => 'step' in m && m.step === shellStep && m.type !== 'step').map((m) => m.type);
    // A cold build probes the cache once: after the first miss the stage is built.
    expect(ofStep).toEqual(['container', 'output', 'output', 'removed', 'image']);
    expect(first.messages.filter((m) => m.type === 'cache')).toEqual([{ type: 'cache', step: 3, hit: false }]);
    const outputs = first.messages.filter((m) => m.type === 'output' && m.step === shellStep);
    expect(outputs).toEqual(
      expect.arrayContaining([
        { type: 'output', step: shellStep, stream: 'stdout', text: 'shell\n' },
        { type: 'output', step: shellStep, stream: 'stderr', text: '+ echo shell\n' },
      ]),
    );
    expect(first.messages.at(-1)).toMatchObject({ type: 'built', id: first.id, tags: ['every:1', 'every:also'] });
  });

  it('records the build in the event log', () => {
    const build = engine.client.engine.events.since(0).filter((e) => e.type === 'build');
    const ours = build.filter((e) => e.id === build.find((b) => b.type === 'build' && b.action === 'built' && b.attributes.id === first.id)?.id);
    expect(ours.map((e) => (e.type === 'build' ? e.action : '')).slice(0, 3)).toEqual(['start', 'step', 'step']);
    expect(ours.at(-1)).toMatchObject({ action: 'built', attributes: { id: first.id, tags: 'every:1,every:also' } });
  });

  it('removes its intermediate containers and scratch space', async () => {
    expect(await engine.client.call('container.list', { all: true })).toEqual([]);
    expect(fs.readdirSync(path.join(engine.root, 'build'))).toEqual([]);
  });

  it('hits the cache on every step when nothing changed, and when only an mtime did', async () => {
    const again = await built({ context: ctx });
    expect(again.id).toBe(first.id);
    expect(cacheHits(again).every((hit) => hit)).toBe(true);
    expect(cacheHits(again)).toHaveLength(24);
    fs.utimesSync(path.join(ctx, 'sub', 'b.txt'), new Date(2001, 0, 1), new Date(2001, 0, 1));
    const touched = await built({ context: ctx });
    expect(touched.id).toBe(first.id);
  });

  it('misses from the step that copies a changed file on', async () => {
    fs.writeFileSync(path.join(ctx, 'sub', 'b.txt'), 'changed\n');
    const changed = await built({ context: ctx });
    // The eight steps before `COPY sub/` hit; that one misses, and the rest of the stage is built.
    expect(cacheHits(changed)).toEqual([...Array(8).fill(true), false]);
    const images = changed.messages.filter((m) => m.type === 'image' && !m.base);
    expect(images.map((m) => m.type === 'image' && m.cached)).toEqual([...Array(8).fill(true), ...Array(16).fill(false)]);
    expect(read(changed.id, '/app/copied/b.txt')).toBe('changed\n');
    expect(changed.id).not.toBe(first.id);
  });

  it('misses where a build arg changes what a step records', async () => {
    const other = await built({ context: ctx, buildArgs: { V: '2' } });
    // ARG V=1 records its default, so it hits; ENV C=$V expands to C=2 and misses.
    expect(cacheHits(other)).toEqual([true, false]);
    expect(history(other.id)).toContain('|1 V=2 /bin/sh -c echo run $A $V > /app/r.txt');
  });

  it('ignores the cache with --no-cache', async () => {
    const fresh = await built({ context: ctx, noCache: true });
    expect(cacheHits(fresh)).toEqual([]);
    expect(fresh.id).not.toBe(first.id);
  });
});

describe('multi-stage builds', () => {
  it('keeps only the final stage\'s layers, copying from stages by name, index and from images', async () => {
    const ctx = fixture('multi-stage');
    const { id } = await built({ context: ctx, tags: ['multi:final'] });
    const c = image(id).config;
    expect(c.rootfs.diff_ids).toHaveLength(4); // the starter and three COPY layers
    expect(history(id).slice(1)).toEqual([
      expect.stringMatching(/^\/bin\/sh -c #\(nop\) COPY file:[0-9a-f]{64} in \/app\/two.txt $/),
      expect.stringMatching(/^\/bin\/sh -c #\(nop\) COPY file:[0-9a-f]{64} in \/app\/ $/),
      expect.stringMatching(/^\/bin\/sh -c #\(nop\) COPY file:[0-9a-f]{64} in \/app\/busybox-copy $/),
      '/bin/sh -c #(nop)  CMD ["cat" "/app/two.txt"]',
    ]);
    expect(read(id, '/app/two.txt')).toBe('one\none\n');
    expect(read(id, '/app/stage1.txt')).toBe('made in stage 1\n');
    expect(unionLookup(layerDirs(id), '/src')).toBeNull();
    expect(c.config?.Cmd).toEqual(['cat', '/app/two.txt']);
  });

  it('stops at --target', async () => {
    const ctx = fixture('multi-stage');
    const { id, messages } = await built({ context: ctx, target: 'test', tags: ['multi:test'] });
    expect(messages.filter((m) => m.type === 'step').at(-1)).toMatchObject({ instruction: 'RUN test -f /src/two.txt', steps: 7 });
    expect(read(id, '/src/two.txt')).toBe('one\none\n');
    const unknown = await runBuild({ context: ctx, target: 'nope' });
    expect(unknown.error?.message).toBe('failed to reach build target nope in Dockerfile');
  });
});

describe('other fixtures', () => {
  it('builds FROM scratch: no parent, Docker\'s default PATH', async () => {
    const { id, messages } = await built({ context: fixture('scratch') });
    const img = image(id);
    expect(messages[1]).toEqual({ type: 'image', step: 1, id: '', base: true, cached: false, emptyLayer: true, size: 0, durationMs: expect.any(Number) });
    expect(img.config.config).toEqual({ Env: ['PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', 'HELLO=world'], WorkingDir: '/data', Cmd: ['/payload.txt'] });
    expect(img.config.rootfs.diff_ids).toHaveLength(2);
    expect(read(id, '/payload.txt')).toBe('payload\n');
    let root = img;
    while (root.parent) root = image(root.parent);
    expect(history(root.id)).toEqual(['/bin/sh -c #(nop)  ENV HELLO=world']);
  });

  it('runs the FROM image\'s ONBUILD triggers', async () => {
    await built({ context: fixture('onbuild'), tags: ['onbase'] });
    const child = path.join(work, 'onbuild-child');
    fs.mkdirSync(child);
    fs.writeFileSync(path.join(child, 'Dockerfile'), 'FROM onbase\n');
    const { id, messages } = await built({ context: child });
    expect(messages.find((m) => m.type === 'triggers')).toEqual({ type: 'triggers', step: 1, count: 2 });
    expect(read(id, '/triggered.txt')).toBe('triggered\n');
    expect(image(id).config.config?.Env).toContain('FROM_TRIGGER=yes');
    expect(image(id).config.config?.OnBuild).toBeUndefined();
  });

  it('honours # escape= and heredocs', async () => {
    const esc = await built({ context: fixture('escape') });
    expect(read(esc.id, '/win.txt')).toBe('C:\\Windows two\n');
    const here = await built({ context: fixture('heredoc') });
    expect(read(here.id, '/a.txt')).toBe('first\nsecond\n');
    expect(read(here.id, '/b.txt')).toBe('indented\n');
  });

  it('leaves out what .dockerignore excludes, Dockerfile included, but reads it', async () => {
    const { id } = await built({ context: fixture('dockerignore') });
    const top = path.join(layerDirs(id)[0], 'ctx');
    const seen = fs.readdirSync(top, { recursive: true }).map(String).sort();
    // What `COPY . /ctx/` held in a DOCKER_BUILDKIT=0 build of this fixture with Docker 20.10.
    expect(seen).toEqual(['dir', 'dir/keep', 'dir/keep/k', 'docs', 'docs/a', 'docs/readme.txt', 'keep.txt']);
  });

  it('adds --label as LABEL steps, sorted, and sends only the result when quiet', async () => {
    const ctx = fixture('scratch');
    const { id, messages } = await built({ context: ctx, labels: { zeta: 'z', alpha: 'a b' }, quiet: true });
    expect(messages.map((m) => m.type)).toEqual(['built']);
    expect(history(id).slice(-2)).toEqual(['/bin/sh -c #(nop)  LABEL alpha=a b', '/bin/sh -c #(nop)  LABEL zeta=z']);
    expect(image(id).config.config?.Labels).toEqual({ alpha: 'a b', zeta: 'z' });
  });
});

describe('bad input', () => {
  function dockerfile(text: string, files: Record<string, string> = {}): string {
    const dir = path.join(work, `bad-${contexts++}`);
    fs.mkdirSync(dir);
    fs.writeFileSync(path.join(dir, 'Dockerfile'), text);
    for (const [name, content] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), content);
    return dir;
  }

  it('stops at a failing RUN with its output and exit code, removes its container with --force-rm, moves no tag', async () => {
    const before = image(engine.image).id;
    engine.client.engine.images.store.images.tag('keep:me', before);
    // Without --force-rm the failed step's container stays, as the classic builder leaves it (its evaluator.go).
    const kept = await runBuild({ context: fixture('failing') });
    expect(kept.messages.slice(-2).map((m) => m.type)).toEqual(['output', 'error']);
    const left = await engine.client.call('container.list', { all: true });
    expect(left).toHaveLength(1);
    await engine.client.call('container.remove', { id: left[0].id });
    const { messages, error } = await runBuild({ context: fixture('failing'), tags: ['keep:me'], forceRm: true });
    expect(error?.message).toBe("The command '/bin/sh -c echo to-stdout; echo to-stderr >&2; exit 3' returned a non-zero code: 3");
    expect(messages.filter((m) => m.type === 'output').map((m) => m.type === 'output' && [m.stream, m.text])).toEqual(
      expect.arrayContaining([
        ['stdout', 'to-stdout\n'],
        ['stderr', 'to-stderr\n'],
      ]),
    );
    expect(messages.slice(-2).map((m) => m.type)).toEqual(['removed', 'error']);
    expect(messages.at(-1)).toMatchObject({ type: 'error', step: 2, exitCode: 3 });
    expect(image('keep:me').id).toBe(before);
    expect(await engine.client.call('container.list', { all: true })).toEqual([]);
  });

  it.each([
    ['FROM starter\nRUN true\nFOO bar\n', 'dockerfile parse error line 3: unknown instruction: FOO', false],
    ['RUN true\n', 'no build stage in current context', false],
    ['FROM starter\nCOPY missing /x\n', 'COPY failed: file not found in build context or excluded by .dockerignore: stat missing: file does not exist', true],
    ['FROM starter\nCOPY ../outside /x\n', 'COPY failed: forbidden path outside the build context: ../outside ()', true],
    ['FROM starter\nCOPY --from=nostage /a /b\n', 'invalid from flag value nostage: No such image: nostage:latest', true],
    // An image that is not here is pulled, as the classic builder does: from a registry that does not answer here.
    ['FROM 127.0.0.1:9/nosuchimage:v1\n', '127.0.0.1:9', true],
    ['FROM starter\nCOPY --chmod=755 f /f\n', 'the --chmod option requires BuildKit', true],
  ])('refuses %j', async (text, message, duringStep) => {
    const { messages, error } = await runBuild({ context: dockerfile(text, { f: 'x' }) });
    expect(error?.message).toContain(message);
    expect(messages.some((m) => m.type === 'error')).toBe(duringStep);
    expect(messages.some((m) => m.type === 'built')).toBe(false);
  });

  it('refuses a bad tag before building anything', async () => {
    const { messages, error } = await runBuild({ context: dockerfile('FROM starter\nRUN true\n'), tags: ['Bad:Tag'] });
    expect(error?.message).toBe('invalid reference format: repository name must be lowercase');
    expect(messages).toEqual([]);
  });

  it('copies a symlink that leads out of the context as the link, never the file', async () => {
    const dir = dockerfile('FROM starter\nCOPY escape /escape\n');
    fs.symlinkSync('/etc/hostname', path.join(dir, 'escape'));
    const { id } = await built({ context: dir });
    const hit = unionLookup(layerDirs(id), '/escape')!;
    expect(hit.stats.isSymbolicLink()).toBe(true);
    expect(fs.readlinkSync(hit.hostPath)).toBe('/etc/hostname');
  });
});

describe('a tar context on standard input', () => {
  it('builds from it, its Dockerfile inside', async () => {
    const entries: Buffer[] = [];
    for (const [name, content] of [
      ['build/Dockerfile.custom', 'FROM starter\nCOPY data.txt /data.txt\n'],
      ['data.txt', 'from the tar\n'],
    ]) {
      const data = Buffer.from(content);
      entries.push(encodeHeader({ name, type: 'file', mode: 0o644, uid: 0, gid: 0, size: data.length, mtime: 0 }), data, paddingFor(data.length));
    }
    const tar = zlib.gzipSync(Buffer.concat([...entries, endOfArchive]));
    const e = engine.client.engine;
    const deps: BuilderDeps = {
      runtime: { paths: e.paths, containers: e.containers, events: e.events, images: e.images.access },
      store: e.images.store,
      events: e.events,
      buildRoot: path.join(e.paths.root, 'build'),
      stdin: () => Readable.from([tar]),
      pull: () => Promise.reject(new Error('this build pulls nothing')),
    };
    const messages: BuildMessage[] = [];
    const progress = new BuildProgress(e.events, newBuildId(), (m) => messages.push(m), false);
    const { id } = await build(deps, { context: '-', dockerfile: 'build/Dockerfile.custom' }, progress, new AbortController().signal);
    expect(read(id, '/data.txt')).toBe('from the tar\n');
    expect(fs.readdirSync(deps.buildRoot)).toEqual([]);
  });
});
