// The Engine facade: opens the store under the root, brings container states
// in line with their monitors, and implements every request and stream of
// engine/api.ts by calling the part that owns it. Front ends never reach
// past this (and the dispatcher in front of it).

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { BuildOptions, EngineEvent, EngineStreams } from './api';
import { asEngineError, invalidArgument } from './errors';
import { checkCanRun, engineMode, rootlessWarnings } from './rootless';
import { enginePaths, type EnginePaths } from './paths';
import type { StreamCallbacks, StreamHandle } from './rpc/client';
import type { RequestHandlers, StreamHandlers } from './rpc/dispatch';
import { laterHandle } from './rpc/laterHandle';
import type { RuntimeContext } from './runtime/context';
import { reconcile } from './runtime/reconcile';
import { ContainerStore } from './store/containers';
import { openDb, type Db } from './store/db';
import { EventLog, type StoredEvent } from './store/events';
import { NetworkStore } from './store/networks';
import { VolumeStore } from './store/volumes';
import { ImageService } from './image/service';
import type { ExploreContext } from './explore/context';
import type { BuilderDeps } from './build/builder';
import { lazy } from './lazy';

// Loaded on first use, so a CLI command pays only for the parts it needs
// (Node's start-up is most of a `strata run`; see DESIGN.md, front ends).
const lifecycle = lazy(() => import('./runtime/lifecycle'));
const create = lazy(() => import('./runtime/create'));
const stdio = lazy(() => import('./runtime/stdio'));
const views = lazy(() => import('./runtime/views'));
const boot = lazy(() => import('./runtime/boot'));
const check = lazy(() => import('./runtime/check'));
const listing = lazy(() => import('./runtime/list'));
const pruning = lazy(() => import('./runtime/prune'));
const explore = lazy(async () => ({
  ...(await import('./explore/fileDetails')),
  ...(await import('./explore/graph')),
  ...(await import('./explore/layerFiles')),
  ...(await import('./explore/processes')),
  ...(await import('./explore/stack')),
  ...(await import('./explore/tree')),
  ...(await import('./explore/wasted')),
}));
const build = lazy(() => import('./build/stream'));
const networks = lazy(async () => ({
  ...(await import('./network/networks')),
  ...(await import('./network/views')),
  ...(await import('./network/connect')),
  ...(await import('./network/check')),
  ...(await import('./filters/networks')),
}));
const volumes = lazy(async () => ({ ...(await import('./volume/volumes')), ...(await import('./volume/views')), ...(await import('./filters/volumes')) }));
const eventStream = lazy(async () => ({ ...(await import('./filters/args')), ...(await import('./filters/events')), ...(await import('./runtime/exits')) }));
const runtimes = lazy(() => import('./runtime/ociRuntimes'));
const cgroups = lazy(() => import('./runtime/cgroups'));
const containerFiles = lazy(() => import('./volume/containerFiles'));
const upperWatch = lazy(() => import('./explore/upperWatch'));
const registryModule = lazy(() => import('./registry/service'));
const waiting = lazy(() => import('./runtime/waitUntil'));
const resize = lazy(() => import('./runtime/resize'));
const dockerApiService = lazy(() => import('./service/control'));
const update = lazy(() => import('./runtime/resources/update'));
const stats = lazy(() => import('./runtime/resources/statsStream'));

export interface EngineOptions {
  root?: string;
  runRoot?: string;
  /** Where registry settings and certs.d are read (default $STRATA_CONFIG_ROOT or /etc; see registry/settings.ts). */
  configRoot?: string;
  /** The docker CLI's config directory holding credentials (default $DOCKER_CONFIG or ~/.docker). */
  dockerConfigDir?: string;
}

export const engineVersion = '0.1.0';

export class Engine {
  readonly requests: RequestHandlers;
  readonly streams: StreamHandlers;
  private readonly ready: Promise<void>;

  private constructor(
    readonly paths: EnginePaths,
    readonly db: Db,
    readonly events: EventLog,
    readonly containers: ContainerStore,
    readonly images: ImageService,
    options: EngineOptions,
  ) {
    const ctx: RuntimeContext = {
      paths,
      containers,
      events,
      images: images.access,
      networks: new NetworkStore(db),
      volumes: new VolumeStore(db),
      configRoot: options.configRoot,
    };
    // Every request waits for the first reconcile, so no one acts on a stale state.
    this.ready = reconcile(ctx);
    const exploring: ExploreContext = { store: images.store, runtime: ctx };
    const builder: BuilderDeps = {
      runtime: ctx,
      store: images.store,
      events,
      buildRoot: path.join(paths.root, 'build'),
      stdin: () => fs.createReadStream('/dev/stdin'),
      pull: async (reference, platform, say, signal) => (await registry()).pullQuietly({ reference, ...(platform ? { platform } : {}) }, say, signal),
    };
    const serviceContext = { paths, configRoot: options.configRoot };
    const waste = lazy(async () => new (await explore()).WasteCache());
    const registry = lazy(async () =>
      new (await registryModule()).RegistryService({
        store: images.store,
        db,
        events,
        overrides: { configRoot: options.configRoot, dockerConfigDir: options.dockerConfigDir },
      }),
    );
    const after =
      <A, R>(fn: (arg: A) => R | Promise<R>) =>
      async (arg: A): Promise<R> => {
        await this.ready;
        return fn(arg);
      };
    this.requests = {
      'system.info': after(async () => {
        const freezer = (await cgroups()).cgroupLayout().freezer;
        return {
          version: engineVersion,
          root: paths.root,
          runRoot: paths.runRoot,
          mode: engineMode().rootless ? ('rootless' as const) : ('root' as const),
          kernel: os.release(),
          cgroupFreezer: freezer,
          warnings: rootlessWarnings(freezer !== 'none'),
          images: images.count(),
          containers: containers.count(),
          runtimes: (await runtimes()).installedRuntimes(engineVersion),
        };
      }),
      'image.list': after((a) => images.list(a)),
      'image.inspect': after((a) => images.inspect(a.ref)),
      'image.import': after((a) => images.importFile(a)),
      'image.bootstrap': after((a) => images.bootstrap(a.reference)),
      'image.starterSource': after(() => images.starterSource()),
      'image.history': after((a) => images.history(a.ref)),
      'image.tag': after((a) => images.tag(a.source, a.target)),
      'image.remove': after((a) => images.remove(ctx, a)),
      'image.prune': after((a) => images.prune(ctx, a)),
      'image.saveFile': after((a) => images.saveFile(a.refs, a.path)),
      'image.load': after((a) => images.load(a.path)),
      'system.df': after(async () => ({ ...(await images.diskUsage(ctx)), volumes: (await volumes()).volumesDiskUsage(ctx) })),
      'system.check': after(async (a) => {
        const found = await (await check()).systemCheck(ctx, images.store, { repair: !!a.repair, verifyContent: !!a.verifyContent });
        return { findings: found.map((x) => ({ problem: x.problem, repair: x.repair ?? '', repaired: !!x.repaired })) };
      }),
      'system.boot': after(async () => (await boot()).bootContainers(ctx)),
      'network.list': after(async (a) => {
        const n = await networks();
        return n.filterNetworks(n.networkSummaries(ctx), a.filters);
      }),
      'network.inspect': after(async (a) => (await networks()).inspectNetwork(ctx, a.ref)),
      'network.create': after(async (a) => (await networks()).createNetwork(ctx, a)),
      'network.remove': after(async (a) => (await networks()).removeNetwork(ctx, a.ref)),
      'network.prune': after(async (a) => {
        const n = await networks();
        return { deleted: n.pruneNetworks(ctx, n.networkPruneFilter(a.filters)) };
      }),
      'network.connect': after(async (a) => (await networks()).connectNetwork(ctx, a)),
      'network.disconnect': after(async (a) => (await networks()).disconnectNetwork(ctx, a)),
      'volume.list': after(async (a) => {
        const v = await volumes();
        return v.filterVolumes(v.volumeSummaries(ctx, !!a.size), a.filters);
      }),
      'volume.inspect': after(async (a) => (await volumes()).inspectVolume(ctx, a.name)),
      'volume.create': after(async (a) => {
        const v = await volumes();
        return v.volumeInspect(ctx, v.createVolume(ctx, a).volume);
      }),
      'volume.remove': after(async (a) => (await volumes()).removeVolume(ctx, a.name, !!a.force)),
      'volume.prune': after(async (a) => {
        const v = await volumes();
        return v.pruneVolumes(ctx, !!a.all, v.volumePruneFilter(a.filters));
      }),
      'container.list': after(async (a) => (await listing()).listContainers(ctx, a)),
      'container.prune': after(async (a) => (await pruning()).pruneContainers(ctx, a.filters)),
      'container.create': after(async (a) => (await create()).createContainer(ctx, a)),
      'container.start': after(async (a) => void (await (await lifecycle()).startContainer(ctx, a.id))),
      'container.stop': after(async (a) => (await lifecycle()).stopContainer(ctx, a.id, a.timeout, a.signal)),
      'container.restart': after(async (a) => (await lifecycle()).restartContainer(ctx, a.id, a.timeout, a.signal)),
      'container.kill': after(async (a) => (await lifecycle()).killContainer(ctx, a.id, a.signal)),
      'container.pause': after(async (a) => (await lifecycle()).pauseContainer(ctx, a.id)),
      'container.unpause': after(async (a) => (await lifecycle()).unpauseContainer(ctx, a.id)),
      'container.remove': after(async (a) =>
        a.link ? (await import('./runtime/links')).removeLink(a.id) : (await lifecycle()).removeContainer(ctx, a.id, !!a.force, !!a.volumes),
      ),
      'container.commit': after((a) => images.commit(ctx, a)),
      'container.exportFile': after((a) => images.exportFile(ctx, a.id, a.path)),
      'container.rename': after(async (a) => (await lifecycle()).renameContainer(ctx, a.id, a.name)),
      'container.inspect': after(async (a) => (await views()).inspectContainer(ctx, a.id, !!a.size)),
      'container.changes': after(async (a) => (await views()).containerChanges(ctx, a.id)),
      'container.wait': after(async (a) => ({ statusCode: await (await lifecycle()).waitContainer(ctx, a.id) })),
      'container.top': after(async (a) => (await views()).containerTop(ctx, a.id, a.psArgs)),
      'container.spec': after(async (a) => (await views()).readRuntimeSpec(ctx, a.id)),
      'container.resize': after(async (a) => (await resize()).resizeContainer(ctx, a.id, a.rows, a.cols)),
      'container.update': after(async (a) => (await update()).updateContainer(ctx, a)),
      // app views
      'image.stack': after(async (a) => (await explore()).imageStack(exploring, a.ref, await waste())),
      'image.layerFiles': after(async (a) => (await explore()).layerFiles(exploring, a.ref, a.layer)),
      'image.tree': after(async (a) => (await explore()).imageTree(exploring, a.ref, a.path)),
      'image.graph': after(async () => (await explore()).imageGraph(exploring)),
      'container.tree': after(async (a) => (await explore()).containerTree(exploring, a.id, a.path)),
      'container.processes': after(async (a) => (await explore()).containerProcesses(exploring, a.id)),
      'image.file': after(async (a) => {
        const x = await explore();
        return x.fileDetails(x.imageStackDirs(exploring, a.ref), a.path);
      }),
      'container.file': after(async (a) => {
        const x = await explore();
        return x.fileDetails(x.containerStackDirs(exploring, a.id), a.path);
      }),
      'container.pathStat': after(async (a) => (await containerFiles()).statContainerPath(ctx, a.id, a.path)),
      // registries
      'registry.login': after(async (a) => (await registry()).login(a)),
      'registry.logout': after(async (a) => (await registry()).logout(a)),
      'registry.search': after(async (a) => (await registry()).search(a)),
      'registry.manifest': after(async (a) => (await registry()).manifest(a)),
      // the Docker API service
      'dockerApi.status': after(async () => (await dockerApiService()).serviceStatus(serviceContext)),
      'dockerApi.start': after(async () => (await dockerApiService()).startService(serviceContext)),
      'dockerApi.stop': after(async () => (await dockerApiService()).stopService(serviceContext)),
    };
    // A stream opens once the engine is ready and its module is loaded;
    // input sent meanwhile is kept for it, in order.
    const deferred = <A, C>(open: (arg: A, cb: C) => StreamHandle<never> | Promise<StreamHandle<never>>) =>
      ((arg: A, cb: C & { onEnd(e?: unknown): void }) => {
        const later = laterHandle<never>();
        this.ready.then(() => open(arg, cb)).then(later.settle, (err) => cb.onEnd(toPayload(err)));
        return later.handle;
      }) as never;
    this.streams = {
      'container.startAttached': deferred(async (a, cb) => (await stdio()).startAttachedStream(ctx, a as never, cb as never)),
      'container.attach': deferred(async (a, cb) => (await stdio()).attachStream(ctx, a as never, cb as never)),
      'container.exec': deferred(async (a, cb) => (await stdio()).execStream(ctx, a as never, cb as never)),
      'container.logs': deferred(async (a, cb) => (await stdio()).logsStream(ctx, a as never, cb as never)),
      'container.stats': deferred(async (a, cb) => (await stats()).statsStream(ctx, a as never, cb as never)),
      'container.upperChanges': deferred(async (a, cb) => (await upperWatch()).upperChangesStream(ctx, a as never, cb as never)),
      'image.save': deferred((a: { refs: string[] }, cb) => images.saveStream(a.refs, cb as never)),
      'container.export': deferred((a: { id: string }, cb) => images.exportStream(ctx, a.id, cb as never)),
      'image.build': deferred(async (a: BuildOptions, cb) => {
        // A '-' context read from a file the caller names rather than from standard input.
        const from = a.context === '-' && a.contextFile ? a.contextFile : undefined;
        const deps = from ? { ...builder, stdin: () => fs.createReadStream(from) } : builder;
        return (await build()).buildStream(deps, a, cb as never);
      }),
      'image.loadStream': deferred((_a, cb) => images.loadStream(cb as never)),
      'image.importStream': deferred((a, cb) => images.importStream(a as never, cb as never)),
      'container.archive': deferred(async (a, cb) => (await containerFiles()).archiveStream(ctx, a as never, cb as never)),
      'container.extract': deferred(async (a, cb) => (await containerFiles()).extractStream(ctx, a as never, cb as never)),
      'image.pull': deferred(async (a, cb) => (await registry()).pullStream(a as never, cb as never)),
      'image.push': deferred(async (a, cb) => (await registry()).pushStream(a as never, cb as never)),
      'container.waitUntil': deferred(async (a, cb) => (await waiting()).waitUntilStream(ctx, a as never, cb as never)),
      events: deferred((a: EngineStreams['events']['arg'], cb: StreamCallbacks<EngineEvent>) => {
        // Subscribed before the filters' modules load: an event recorded meanwhile (a request the client
        // sent right after opening the stream) is kept for it, not lost.
        const early: StoredEvent[] = [];
        let live = (e: StoredEvent) => void early.push(e);
        const unsubscribe = events.subscribe((e) => live(e));
        const opened = async () => {
          const { FilterArgs, eventMatches, ExitWatcher } = await eventStream();
          const filters = new FilterArgs(a.filters);
          const send = (e: StoredEvent) => {
            if (eventMatches(filters, e)) cb.onMessage(stripSeq(e));
          };
          if (a.since !== undefined && a.until !== undefined && a.until < a.since) {
            throw invalidArgument(`\`since\` time (${a.since}) cannot be after \`until\` time (${a.until})`);
          }
          // As dockerd: either bound replays what is stored, up to `until`.
          let replayed = 0;
          if (a.since !== undefined || a.until !== undefined) {
            for (const e of events.since(a.since ?? 0)) {
              replayed = e.seq;
              if (a.until === undefined || e.time <= a.until) send(e);
            }
          }
          const untilMs = a.until === undefined ? undefined : a.until / 1e6 - Date.now();
          if (untilMs !== undefined && untilMs <= 0) {
            unsubscribe();
            queueMicrotask(() => cb.onEnd());
            return { send() {}, close() {} };
          }
          // Whoever listens also records exits the moment monitors write them.
          const exits = new ExitWatcher(ctx);
          live = (e) => {
            if (e.type === 'container' && e.action === 'start') exits.watch(e.id);
            send(e);
          };
          for (const e of early) if (e.seq > replayed) live(e);
          exits.watchRunning();
          let ended = false;
          const close = () => {
            if (ended) return;
            ended = true;
            clearTimeout(timer);
            unsubscribe();
            exits.close();
          };
          const timer = untilMs === undefined ? undefined : setTimeout(() => {
            close();
            cb.onEnd();
          }, Math.min(untilMs, 2 ** 31 - 1));
          return { send() {}, close };
        };
        return opened().catch((err: unknown) => {
          unsubscribe();
          throw err;
        });
      }),
    };
  }

  static open(options: EngineOptions = {}): Engine {
    // Said once, here, for every front end: otherwise the first mkdir, mount or clone fails with a bare EACCES/EPERM.
    checkCanRun();
    const paths = enginePaths(options.root, options.runRoot);
    fs.mkdirSync(paths.root, { recursive: true, mode: 0o710 });
    fs.mkdirSync(paths.runRoot, { recursive: true, mode: 0o700 });
    const db = openDb(paths.db);
    const events = new EventLog(db, paths.db);
    const containers = new ContainerStore(db);
    const images = new ImageService(db, paths, events);
    return new Engine(paths, db, events, containers, images, options);
  }

  /** Resolves once the engine has reconciled container states with their monitors. */
  whenReady(): Promise<void> {
    return this.ready;
  }

  close(): void {
    this.events.close();
    this.db.close();
  }
}

function stripSeq(e: EngineEvent & { seq?: number }): EngineEvent {
  const { seq: _seq, ...rest } = e;
  return rest as EngineEvent;
}

function toPayload(err: unknown) {
  return asEngineError(err).toPayload();
}
