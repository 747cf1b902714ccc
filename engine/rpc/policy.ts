// Which requests a front end may make. The command line is the user's own
// process: it may do all the engine does. Every other front end (the browser
// host's websocket and downloads, Electron's window, and the Docker API)
// passes each request through admit() before the dispatcher, with the
// grants of that front end, so one table decides for all of them.
//
// The engine runs as root. A request that names a host path makes root read,
// write or bind-mount that path; one that names the engine's own standard
// input makes the engine read whatever terminal or pipe started it. Both are
// decided on the file the path resolves to (its device and inode, as stat
// follows every link), never on its spelling: /dev/stdin, /proc/self/fd/0, a
// symlink or a hard link to the same file are one file. Refusals say what was
// refused and never quote a path's target or its content.

import fs from 'node:fs';
import path from 'node:path';
import { requests, streams, type ArgOf, type EngineStreams, type RequestName, type StreamName } from '../api';
import { asEngineError, invalidArgument } from '../errors';
import type { EngineClient } from './client';
import { isRequestName, isStreamName } from './dispatch';

/** What a front end may ask of the engine beyond its own store and containers. */
export interface Grants {
  /** Who they are, for messages: "the app". */
  readonly frontEnd: string;
  /** Name host paths that the engine (root) reads, writes or binds into a container. */
  readonly hostPaths: boolean;
  /** Make the engine read its own standard input or terminal. */
  readonly engineStdin: boolean;
}

/**
 * The app (browser host, Electron): it shows the engine's own objects and
 * saves files through the shell (a download, a file the user picked), so it
 * names no host path; it has no standard input of its own to give.
 */
export const appGrants: Grants = { frontEnd: 'the app', hostPaths: false, engineStdin: false };

/**
 * The Docker API (`strata system service`): as dockerd's socket, whoever can
 * open it is trusted as root (`docker run -v /:/host`), so it may name host
 * paths; the socket's permissions are the boundary. It has no standard input
 * of the engine's to give: request bodies come in the requests.
 */
export const dockerApiGrants: Grants = { frontEnd: 'the Docker API', hostPaths: true, engineStdin: false };

/** A host path (or the engine's stdin) a request names, and what it would do with it. */
interface HostRef {
  field: string;
  /** '-': the engine's standard input, as `build -` names it. */
  path: string;
  use: 'reads' | 'writes' | 'binds';
}

type RefsOf<A> = (arg: A) => HostRef[];
const none = (): HostRef[] => [];

/** Every request and stream, with the host paths its argument names: the compiler makes each new one be listed. */
const requestRefs: { [K in RequestName]: RefsOf<ArgOf<K>> } = {
  'system.info': none,
  'system.df': none,
  'system.boot': none,
  'system.check': none,
  'image.list': none,
  'image.inspect': none,
  'image.import': (a) => [{ field: 'path', path: a.path, use: 'reads' }],
  'image.bootstrap': none,
  'image.starterSource': none,
  'image.history': none,
  'image.tag': none,
  'image.remove': none,
  'image.prune': none,
  'image.saveFile': (a) => [{ field: 'path', path: a.path, use: 'writes' }],
  'image.load': (a) => [{ field: 'path', path: a.path, use: 'reads' }],
  'image.stack': none,
  'image.layerFiles': none,
  'image.tree': none,
  'image.file': none,
  'image.graph': none,
  'container.list': none,
  'container.prune': none,
  'container.create': (a) => [
    // "/DST" alone is an anonymous volume, "NAME:DST" a named one: only an absolute SRC is the host's.
    ...(a.binds ?? [])
      .filter((bind) => bind.includes(':'))
      .map((bind) => ({ field: 'binds', path: bindSource(bind), use: 'binds' as const }))
      .filter((r) => path.isAbsolute(r.path)),
    ...(a.mounts ?? []).filter((m) => m.type === 'bind').map((m) => ({ field: 'mounts', path: m.source ?? '', use: 'binds' as const })),
    ...(a.devices ?? []).map((device) => ({ field: 'devices', path: bindSource(device), use: 'binds' as const })),
    // Every host device and capability: as much as binding the host's /dev.
    ...(a.privileged ? [{ field: 'privileged', path: '/dev', use: 'binds' as const }] : []),
    // A capability beyond Docker's defaults (CAP_SYS_ADMIN, CAP_SYS_MODULE...) reaches the host as a bind of / would.
    ...(a.capAdd?.length ? [{ field: 'capAdd', path: '/', use: 'binds' as const }] : []),
  ],
  'container.start': none,
  'container.stop': none,
  'container.restart': none,
  'container.kill': none,
  'container.pause': none,
  'container.unpause': none,
  'container.remove': none,
  'container.commit': none,
  'container.exportFile': (a) => [{ field: 'path', path: a.path, use: 'writes' }],
  'container.rename': none,
  'container.inspect': none,
  'container.changes': none,
  'container.wait': none,
  'container.top': none,
  'container.spec': none,
  'container.resize': none,
  'container.update': none,
  'container.tree': none,
  'container.file': none,
  'container.processes': none,
  // A path inside the container, resolved in its root.
  'container.pathStat': none,
  'network.list': none,
  'network.inspect': none,
  'network.create': none,
  'network.remove': none,
  'network.prune': none,
  'network.connect': none,
  'network.disconnect': none,
  'volume.list': none,
  'volume.inspect': none,
  // The local driver's type=none o=bind device=/host/path mounts that host path wherever the volume goes.
  'volume.create': (a) => (a.options?.device !== undefined ? [{ field: 'options.device', path: a.options.device, use: 'binds' }] : []),
  'volume.remove': none,
  'volume.prune': none,
  // Credentials go to the engine user's own docker config, never a path the caller names.
  'registry.login': none,
  'registry.logout': none,
  'registry.search': none,
  'registry.manifest': none,
  // The service listens on the configured address only; its socket's permissions are its boundary.
  'dockerApi.status': none,
  'dockerApi.start': none,
  'dockerApi.stop': none,
};

const streamRefs: { [K in StreamName]: RefsOf<EngineStreams[K]['arg']> } = {
  'container.startAttached': none,
  'container.attach': none,
  'container.exec': none,
  'container.logs': none,
  'container.stats': none,
  // The container's own writable layer, named by the container.
  'container.upperChanges': none,
  'image.save': none,
  'container.export': none,
  // The archive's bytes come in the stream's own input (a file the person picked in the app), never from a host path.
  'image.loadStream': none,
  'image.importStream': none,
  // Paths inside the container, resolved in its root; what is copied in comes from the caller, not the host.
  'container.archive': none,
  'container.extract': none,
  'image.build': (a) => {
    const refs: HostRef[] = [];
    // A '-' context read from a file (the Docker API's spooled body) reads that file, not standard input.
    if (a.context === '-' && a.contextFile !== undefined) refs.push({ field: 'contextFile', path: a.contextFile, use: 'reads' });
    // '' is an empty context: nothing on the host.
    else if (a.context !== '') refs.push({ field: 'context', path: a.context, use: 'reads' });
    // In a tar context (stdin) the Dockerfile is a path inside the tar; otherwise it is a host file.
    if (a.dockerfile !== undefined && a.context !== '-') refs.push({ field: 'dockerfile', path: a.dockerfile, use: 'reads' });
    return refs;
  },
  events: none,
  'container.waitUntil': none,
  'image.pull': none,
  'image.push': none,
};

/** The streams whose messages are a file's bytes: the only ones a download may carry. */
const byteStreams: ReadonlySet<StreamName> = new Set(['image.save', 'container.export', 'container.logs']);

/** SRC of "SRC:DST[:MODE]": a host path when absolute, else (as Docker) a volume's name. */
function bindSource(bind: string): string {
  const colon = bind.indexOf(':');
  return colon < 0 ? bind : bind.slice(0, colon);
}

/** What descriptor `fd` is open on, as stat sees it; undefined when it is not open. */
function openFile(fd: number): fs.Stats | undefined {
  try {
    return fs.fstatSync(fd);
  } catch {
    return undefined;
  }
}

/**
 * Whether `file` is the engine's standard input (descriptor `stdinFd`) or
 * terminal under any name: the same file (device and inode, after every
 * link), another node of the same device, or the controlling terminal
 * (/dev/tty).
 */
export function isEngineStdin(file: string, stdinFd = 0): boolean {
  if (file === '-') return true;
  let st: fs.Stats;
  try {
    st = fs.statSync(file);
  } catch {
    return false; // names nothing (yet): a host path, not stdin
  }
  const stdin = openFile(stdinFd);
  if (stdin && st.dev === stdin.dev && st.ino === stdin.ino) return true;
  const device = st.isCharacterDevice() || st.isBlockDevice();
  if (device && stdin && (stdin.isCharacterDevice() || stdin.isBlockDevice()) && st.rdev === stdin.rdev) return true;
  return st.isCharacterDevice() && st.rdev === controllingTerminal();
}

/** /dev/tty's device number (5:0), which stands for whichever terminal controls the process. */
function controllingTerminal(): number | undefined {
  try {
    return fs.statSync('/dev/tty').rdev;
  } catch {
    return undefined;
  }
}

/** Throws the refusal when `grants` do not allow the request or stream `name` with `arg`. */
export function admit(grants: Grants, kind: 'request' | 'stream', name: string, arg: unknown): void {
  const refs = refsOf(kind, name, arg);
  for (const ref of refs) {
    if (isEngineStdin(ref.path)) {
      if (!grants.engineStdin) throw invalidArgument(`${name} ${ref.field}: the engine's standard input belongs to the command line, not ${grants.frontEnd}`);
    } else if (!grants.hostPaths) {
      throw invalidArgument(`${name} ${ref.field}: ${grants.frontEnd} may not name a host path (the engine ${ref.use} it as root)`);
    }
  }
}

/** Throws unless `name` is a stream whose messages are a file's bytes (what a download may carry). */
export function admitDownload(grants: Grants, name: string, arg: unknown): void {
  if (!isStreamName(name) || !byteStreams.has(name)) throw invalidArgument(`${name} is not a byte stream: it cannot be downloaded`);
  admit(grants, 'stream', name, arg);
}

function refsOf(kind: 'request' | 'stream', name: string, arg: unknown): HostRef[] {
  // Checked as the dispatcher checks it (same refusals), so the table reads well-formed arguments only.
  if (kind === 'request' && isRequestName(name)) return (requestRefs[name] as RefsOf<unknown>)(requests[name].arg.parse(arg ?? {}, ''));
  if (kind === 'stream' && isStreamName(name)) return (streamRefs[name] as RefsOf<unknown>)(streams[name].arg.parse(arg ?? {}, ''));
  return []; // unknown: the dispatcher refuses it
}

/** A client whose every request and stream passes admit() with `grants` first (a front end that holds the engine in process). */
export function admittedClient(client: EngineClient, grants: Grants): EngineClient {
  return {
    call(name, arg) {
      try {
        admit(grants, 'request', name, arg);
      } catch (err) {
        return Promise.reject(err);
      }
      return client.call(name, arg);
    },
    open(name, arg, callbacks) {
      try {
        admit(grants, 'stream', name, arg);
      } catch (err) {
        queueMicrotask(() => callbacks.onEnd(asEngineError(err).toPayload()));
        return { send() {}, close() {} };
      }
      return client.open(name, arg, callbacks);
    },
  };
}
