// What each step of the tour does on the engine: real objects, made through
// the same api.ts requests the app's buttons use, each logged as the
// `strata` command that does the same (the strip and the tour's panel show
// it). A step can run again: what it made before is removed first, and the
// removal is a command of its own. Everything it makes is named tour-…;
// containers are labelled strata.tour=1, so a later tour can find them.

import type { CreateOptions, PullMessage } from '../../../engine/api';
import type { EngineClient } from '../../../engine/rpc/client';
import { commandLine, commands } from '../model/commands';
import { buildCommand, emptyForm } from '../model/buildCommand';
import { TarLister } from '../model/tarEntries';
import { instruction, shortId } from '../model/format';
import type { Route } from '../app/routes';
import type { Facts, StepId } from './model';
import { follow } from './streams';

export const tourLabel = { 'strata.tour': '1' } as const;
export const tourImage = 'starter';

/** The names one run of the tour gives what it makes; a run beside a kept earlier one adds its number. */
export function tourNames(run = 1) {
  const n = run > 1 ? `-${run}` : '';
  return {
    box: `tour-box${n}`,
    happy: `tour-happy${n}`,
    stop: `tour-stop${n}`,
    kill: `tour-kill${n}`,
    commit: `tour-commit${n}:1`,
    build: `tour-build${n}:1`,
  };
}
export type TourNames = ReturnType<typeof tourNames>;

export interface TourWork {
  client: EngineClient;
  /** Does `work` and logs it as `command` (one strata command's worth of requests); throws when it fails. */
  run<T>(command: string, work: () => Promise<T>): Promise<T>;
  /** The engine's root on its machine, where a learner finds the layers. */
  root: string;
  /** host[:port] of a registry the person named for the pull step ('' when none). */
  registry: string;
  names: TourNames;
}

export interface StepDef {
  id: StepId;
  route(names: TourNames): Route;
  /** CSS selector of the part of the drawing the step changed (the first match is pointed at). */
  target: string;
  /** The view opens before the step acts, to watch the change happen (its object exists already). */
  watch?: boolean;
  act(w: TourWork): Promise<Facts>;
}

const strata = (...words: string[]) => commandLine(['strata', ...words]);

async function exists(w: TourWork, name: string): Promise<string | undefined> {
  try {
    return (await w.client.call('container.inspect', { id: name })).State.Status;
  } catch {
    return undefined;
  }
}

/** Removes a container of this name left by an earlier run of the step. */
async function removeOld(w: TourWork, name: string): Promise<void> {
  if (await exists(w, name)) await w.run(strata('rm', '-f', name), () => w.client.call('container.remove', { id: name, force: true }));
}

function options(name: string, cmd: string[]): CreateOptions {
  return { image: tourImage, name, labels: { ...tourLabel }, networkMode: 'none', cmd };
}

async function create(w: TourWork, name: string, cmd: string[]): Promise<string> {
  await removeOld(w, name);
  const o = options(name, cmd);
  return (await w.run(commands.create(o), () => w.client.call('container.create', o))).id;
}

async function runDetached(w: TourWork, name: string, cmd: string[]): Promise<string> {
  await removeOld(w, name);
  const o = options(name, cmd);
  return w.run(commands.run({ ...o, detach: true }), async () => {
    const { id } = await w.client.call('container.create', o);
    await w.client.call('container.start', { id });
    return id;
  });
}

/** tour-box running, made or started as needed (a step reached out of order still has what it needs). */
async function ensureBoxRunning(w: TourWork): Promise<void> {
  const box = w.names.box;
  const state = await exists(w, box);
  if (!state) await create(w, box, ['sleep', '3600']);
  if (state === 'paused') await w.run(strata('unpause', box), () => w.client.call('container.unpause', { id: box }));
  else if (state !== 'running') await w.run(strata('start', box), () => w.client.call('container.start', { id: box }));
}

async function execIn(w: TourWork, name: string, script: string): Promise<void> {
  await w.run(strata('exec', name, 'sh', '-c', script), async () => {
    let code = 0;
    await follow(w.client, 'container.exec', { id: name, cmd: ['sh', '-c', script] }, (m) => {
      if ('exit' in m) code = m.exit;
    });
    if (code !== 0) throw new Error(`exited ${code}`);
  });
}

const layerWords = (n: number) => `${n} read-only layer${n === 1 ? '' : 's'}`;
const exitCode = async (w: TourWork, name: string) => String((await w.client.call('container.inspect', { id: name })).State.ExitCode);
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

export const steps: readonly StepDef[] = [
  {
    id: 'image',
    route: () => ({ view: 'image', id: tourImage, tab: 'files' }),
    target: '.stack-rows',
    async act(w) {
      const have = await w.client.call('image.list', {}).then((l) => l.some((i) => i.repoTags.includes(`${tourImage}:latest`)));
      if (!have) await w.run(strata('bootstrap'), () => w.client.call('image.bootstrap', {}));
      await w.run(commands.history(tourImage), () => w.client.call('image.history', { ref: tourImage }));
      return { image: tourImage, layers: layerWords((await w.client.call('image.inspect', { ref: tourImage })).RootFS.Layers.length), root: w.root };
    },
  },
  {
    id: 'container',
    route: (names) => ({ view: 'container', id: names.box, tab: 'files' }),
    target: '[data-testid="layer-rw"]',
    async act(w) {
      const id = await create(w, w.names.box, ['sleep', '3600']);
      return { name: w.names.box, id: shortId(id), upper: `${w.root}/containers/${id}/upper` };
    },
  },
  {
    id: 'running',
    watch: true,
    route: (names) => ({ view: 'container', id: names.box, tab: 'files' }),
    target: '[data-testid="process-space"]',
    async act(w) {
      const state = await exists(w, w.names.box);
      if (!state) await create(w, w.names.box, ['sleep', '3600']);
      else if (state === 'running' || state === 'paused') await w.run(strata('kill', w.names.box), () => w.client.call('container.kill', { id: w.names.box }));
      await w.run(strata('start', w.names.box), () => w.client.call('container.start', { id: w.names.box }));
      return { name: w.names.box };
    },
  },
  {
    id: 'happiness',
    route: (names) => ({ view: 'container', id: names.happy, tab: 'files' }),
    target: '[data-testid="layer-rw"]',
    async act(w) {
      await removeOld(w, w.names.happy);
      const o = options(w.names.happy, ['touch', 'happiness.txt']);
      const id = await w.run(commands.run(o), async () => {
        const { id } = await w.client.call('container.create', o);
        await w.client.call('container.start', { id });
        await w.client.call('container.wait', { id });
        return id;
      });
      const changes = await w.run(commands.diff(w.names.happy), () => w.client.call('container.changes', { id }));
      const inImage = await w.client.call('image.tree', { ref: tourImage, path: '/' });
      const found = changes.some((c) => c.path === '/happiness.txt' && c.kind === 'A');
      return {
        root: w.root,
        hostPath: found ? `${w.root}/containers/${id}/upper/happiness.txt` : 'not found',
        inImage: inImage.some((e) => e.name === 'happiness.txt') ? 'it does' : `no layer of ${tourImage} has it`,
      };
    },
  },
  {
    id: 'metadata',
    watch: true,
    route: () => ({ view: 'image', id: tourImage, tab: 'history' }),
    target: '.tabpanel',
    async act(w) {
      const history = await w.run(commands.history(tourImage), () => w.client.call('image.history', { ref: tourImage }));
      await w.run(commands.imageInspect(tourImage), () => w.client.call('image.inspect', { ref: tourImage }));
      return { image: tourImage, top: instruction(history[0]?.createdBy ?? '') || '(no instruction recorded)' };
    },
  },
  {
    id: 'ps',
    watch: true,
    route: () => ({ view: 'containers', all: true }),
    target: 'main table, main [role="grid"], main .table',
    async act(w) {
      const running = await w.run(commands.ps(false), () => w.client.call('container.list', {}));
      const all = await w.run(commands.ps(true), () => w.client.call('container.list', { all: true }));
      const list = (l: { names: string[] }[]) => l.map((c) => c.names[0]).join(', ') || 'none';
      return { running: list(running), all: list(all), happy: w.names.happy };
    },
  },
  {
    id: 'stop',
    route: (names) => ({ view: 'container', id: names.stop, tab: 'files' }),
    target: '[data-testid="kernel-timeline"]',
    async act(w) {
      await runDetached(w, w.names.stop, ['sleep', '3600']);
      await w.run(strata('stop', '-t', '3', w.names.stop), () => w.client.call('container.stop', { id: w.names.stop, timeout: 3 }));
      return { exitCode: await exitCode(w, w.names.stop) };
    },
  },
  {
    id: 'kill',
    route: (names) => ({ view: 'container', id: names.kill, tab: 'files' }),
    target: '[data-testid="kernel-timeline"]',
    async act(w) {
      await runDetached(w, w.names.kill, ['sleep', '3600']);
      await w.run(commands.kill(w.names.kill), () => w.client.call('container.kill', { id: w.names.kill }));
      return { exitCode: await exitCode(w, w.names.kill) };
    },
  },
  {
    id: 'pause',
    watch: true,
    route: (names) => ({ view: 'container', id: names.box, tab: 'files' }),
    target: '[data-testid="process-space"]',
    async act(w) {
      await ensureBoxRunning(w);
      await w.run(strata('pause', w.names.box), () => w.client.call('container.pause', { id: w.names.box }));
      return { name: w.names.box, state: (await exists(w, w.names.box)) ?? 'gone' };
    },
  },
  {
    id: 'copyup',
    watch: true,
    route: (names) => ({ view: 'container', id: names.box, tab: 'files' }),
    target: '[data-testid="live-writes"]',
    async act(w) {
      await ensureBoxRunning(w);
      // One write at a time, a moment apart, so each can be watched arriving.
      await execIn(w, w.names.box, "echo 'tour:x:1000:1000::/home:/bin/sh' >> /etc/passwd");
      await pause(1200);
      await execIn(w, w.names.box, 'rm /etc/group');
      await pause(1200);
      await execIn(w, w.names.box, 'echo hello > /home/hello.txt');
      return {};
    },
  },
  {
    id: 'rm',
    route: () => ({ view: 'containers', all: true }),
    target: 'main table, main [role="grid"], main .table',
    async act(w) {
      const state = await exists(w, w.names.kill);
      if (!state) await create(w, w.names.kill, ['sleep', '3600']);
      else if (state === 'running' || state === 'paused') await w.run(strata('kill', w.names.kill), () => w.client.call('container.kill', { id: w.names.kill }));
      const { Id } = await w.client.call('container.inspect', { id: w.names.kill });
      await w.run(strata('rm', w.names.kill), () => w.client.call('container.remove', { id: w.names.kill }));
      return { name: w.names.kill, upper: `${w.root}/containers/${Id}/upper` };
    },
  },
  {
    id: 'commit',
    route: (names) => ({ view: 'image', id: names.commit, tab: 'files' }),
    target: '.stack-rows .slab-layer',
    async act(w) {
      if (!(await exists(w, w.names.box))) await create(w, w.names.box, ['sleep', '3600']);
      await w.run(strata('commit', w.names.box, w.names.commit), () => w.client.call('container.commit', { id: w.names.box, reference: w.names.commit }));
      const layers = (await w.client.call('image.inspect', { ref: w.names.commit })).RootFS.Layers.length;
      return { box: w.names.box, image: w.names.commit, layers: layerWords(layers) };
    },
  },
  {
    id: 'build',
    route: (names) => ({ view: 'image', id: names.build, tab: 'files' }),
    target: '.stack-rows',
    async act(w) {
      const text = `FROM ${tourImage}\nRUN echo one > /one.txt\nRUN echo two > /two.txt\nCMD ["cat", "/one.txt", "/two.txt"]\n`;
      const form = { ...emptyForm, source: 'typed' as const, text, tags: w.names.build };
      await w.run(buildCommand(form), () => follow(w.client, 'image.build', { context: '', dockerfileText: text, tags: [w.names.build] }));
      return { image: w.names.build };
    },
  },
  {
    id: 'imagesAll',
    route: () => ({ view: 'images', all: true }),
    target: 'main table, main [role="grid"], main .table',
    async act(w) {
      const top = await w.run(commands.images(false), () => w.client.call('image.list', {}));
      const all = await w.run(commands.images(true), () => w.client.call('image.list', { all: true }));
      return { top: String(top.length), all: String(all.length) };
    },
  },
  {
    id: 'saveExport',
    route: (names) => ({ view: 'image', id: names.build, tab: 'files' }),
    target: '[data-testid="tour-archives"]',
    async act(w) {
      const saved = new TarLister();
      await w.run(`${strata('save', w.names.build)} | tar -t`, () => follow(w.client, 'image.save', { refs: [w.names.build] }, (c) => saved.feed(c.data)));
      const exported = new TarLister();
      if (!(await exists(w, w.names.box))) await create(w, w.names.box, ['sleep', '3600']);
      await w.run(`${strata('export', w.names.box)} | tar -t`, () => follow(w.client, 'container.export', { id: w.names.box }, (c) => exported.feed(c.data)));
      return { box: w.names.box, image: w.names.build, saved: JSON.stringify(saved.entries.map((e) => e.name)), exported: JSON.stringify(exported.entries.map((e) => e.name)) };
    },
  },
  {
    id: 'pull',
    route: () => ({ view: 'images', all: false }),
    target: '[data-testid="tour-pull"]',
    async act(w): Promise<Facts> {
      if (!w.registry) return { needsRegistry: '1' };
      const remote = `${w.registry}/${w.names.commit}`;
      // A registry that answers, even "not found", is one to push to; no answer is the state the panel shows.
      const answer = await w.client.call('registry.manifest', { reference: remote }).then(
        () => undefined,
        (e: { code?: string; message?: string }) => (e.code === 'NotFound' ? undefined : (e.message ?? 'no answer')),
      );
      if (answer) return { needsRegistry: '1', registryError: answer };
      // Run again, the step finds its image pulled under the registry's name only: it commits one anew.
      if (!(await w.client.call('image.list', {})).some((i) => i.repoTags.includes(w.names.commit))) {
        if (!(await exists(w, w.names.box))) await create(w, w.names.box, ['sleep', '3600']);
        await w.run(strata('commit', w.names.box, w.names.commit), () => w.client.call('container.commit', { id: w.names.box, reference: w.names.commit }));
      }
      await w.run(commands.tag(w.names.commit, remote), () => w.client.call('image.tag', { source: w.names.commit, target: remote }));
      await w.run(commands.push(remote), () => follow(w.client, 'image.push', { reference: remote }));
      // Both names gone, the committed layer goes with them; the starter's layer stays (starter holds it).
      await w.run(strata('rmi', w.names.commit, remote), async () => {
        await w.client.call('image.remove', { ref: w.names.commit });
        await w.client.call('image.remove', { ref: remote });
      });
      const status = new Map<string, string>();
      await w.run(commands.pull(remote), () =>
        follow(w.client, 'image.pull', { reference: remote }, (m: PullMessage) => {
          if (m.type === 'layer') status.set(m.id, m.status);
        }),
      );
      const shared = [...status.values()].filter((s) => s === 'Already exists').length;
      return { remote, layers: String(status.size), shared: String(shared), statuses: JSON.stringify([...status]) };
    },
  },
  {
    id: 'end',
    route: () => ({ view: 'containers', all: true }),
    target: 'main table, main [role="grid"], main .table',
    async act(w) {
      const made = await tourObjects(w.client);
      return { names: made.map((o) => o.name).join(', ') || 'nothing' };
    },
  },
];

export interface TourObject {
  kind: 'container' | 'image';
  name: string;
}

/** What a tour made and left: containers labelled strata.tour=1, images tagged tour-…. */
export async function tourObjects(client: EngineClient): Promise<TourObject[]> {
  const [containers, images] = await Promise.all([client.call('container.list', { all: true }), client.call('image.list', {})]);
  return [
    ...containers.filter((c) => c.labels['strata.tour'] === '1').map((c) => ({ kind: 'container' as const, name: c.names[0] })),
    ...images.flatMap((i) => i.repoTags.filter((t) => /(^|\/)tour-[^/]*$/.test(t.replace(/:[^:/]*$/, ''))).map((t) => ({ kind: 'image' as const, name: t }))),
  ];
}

/** The commands that remove a tour's objects, run one by one (containers first: images they use would be refused). */
export async function removeTourObjects(w: TourWork, objects: readonly TourObject[]): Promise<void> {
  for (const o of objects.filter((x) => x.kind === 'container')) {
    await w.run(strata('rm', '-f', o.name), () => w.client.call('container.remove', { id: o.name, force: true }));
  }
  for (const o of objects.filter((x) => x.kind === 'image')) {
    await w.run(strata('rmi', o.name), () => w.client.call('image.remove', { ref: o.name }));
  }
}

/** The first run number whose names nothing kept already uses. */
export function freeRun(objects: readonly TourObject[]): number {
  const taken = new Set(objects.map((o) => o.name));
  for (let run = 1; ; run++) {
    if (!Object.values(tourNames(run)).some((n) => taken.has(n))) return run;
  }
}
