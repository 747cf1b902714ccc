// Rootless mode: the one place that knows what differs when the engine runs
// for a user who is not root (DESIGN.md: paths, xattr namespace, id maps,
// cgroup parent); the same code serves both modes by asking here.
//
// bin/strata runs such a user's commands as root of their own user namespace
// (strata-shim userns: 0 is the user, 1... the user's range in /etc/subuid),
// so the engine inside has root's powers over the user's files only: layers
// unpacked there keep their owners as the namespace maps them, and the
// launcher's namespaces, mounts and cgroups are made beneath it.

import fs from 'node:fs';
import path from 'node:path';
import { unavailable } from './errors';

export interface EngineMode {
  rootless: boolean;
  /** The host ids that are root inside (0 in root mode). */
  hostUid: number;
  hostGid: number;
  /** How many ids the namespace maps: 65536 with a subordinate range, 1 with only the user's own id. */
  mappedIds: number;
}

interface IdMapLine {
  inside: number;
  outside: number;
  count: number;
}

function parseIdMap(text: string): IdMapLine[] {
  return text
    .split('\n')
    .map((l) => l.trim().split(/\s+/).map(Number))
    .filter((n) => n.length === 3 && n.every(Number.isFinite))
    .map(([inside, outside, count]) => ({ inside, outside, count }));
}

/** The host's own namespace maps every id to itself. */
const HOST_MAP_COUNT = 4294967295;

let cached: EngineMode | undefined;

/** The mode of this process, from its user namespace's id maps. */
export function engineMode(): EngineMode {
  cached ??= modeFromIdMaps(fs.readFileSync('/proc/self/uid_map', 'utf8'), fs.readFileSync('/proc/self/gid_map', 'utf8'));
  return cached;
}

/** The mode that /proc/self/uid_map and gid_map (their text) say: the host's own maps, or a user's namespace. */
export function modeFromIdMaps(uidMap: string, gidMap: string): EngineMode {
  const uids = parseIdMap(uidMap);
  const gids = parseIdMap(gidMap);
  const host = uids.length === 1 && uids[0].inside === 0 && uids[0].outside === 0 && uids[0].count === HOST_MAP_COUNT;
  const outsideOf = (map: IdMapLine[]) => map.find((l) => l.inside === 0)?.outside ?? -1;
  return host
    ? { rootless: process.geteuid?.() !== 0, hostUid: process.geteuid?.() ?? 0, hostGid: process.getegid?.() ?? 0, mappedIds: HOST_MAP_COUNT }
    : { rootless: true, hostUid: outsideOf(uids), hostGid: outsideOf(gids), mappedIds: uids.reduce((n, l) => n + l.count, 0) };
}

/**
 * Refuses, in one line, to open an engine this process cannot run: a user
 * outside their user namespace (the launcher could not make one, or the CLI
 * was started without bin/strata).
 */
export function checkCanRun(): void {
  const mode = engineMode();
  const whyNot = process.env.STRATA_USERNS_ERROR;
  if (whyNot) throw unavailable(`rootless mode needs a user namespace, and none could be made: ${whyNot}`);
  if (process.geteuid?.() !== 0 || (mode.rootless && mode.hostUid < 0)) {
    throw unavailable('rootless mode runs the engine inside your user namespace: start it with bin/strata (e.g. `strata ps`, `npm start`), not with node directly');
  }
}

/** One line for `strata info` and the app when only the user's own id is mapped. */
export function singleIdWarning(mode: EngineMode): string | undefined {
  if (!mode.rootless || mode.mappedIds > 1) return undefined;
  return 'no subordinate ids for this user in /etc/subuid and /etc/subgid: only your own id is mapped, so images with files owned by other users and USER other than root fail (add a range, e.g. `usermod --add-subuids 100000-165535 --add-subgids 100000-165535 USER`)';
}

/** The engine root and run root: root's /var/lib/strata, or the user's XDG dirs; STRATA_ROOT and STRATA_RUNROOT win. */
export function defaultRoots(env: NodeJS.ProcessEnv = process.env, mode: EngineMode = engineMode()): { root: string; runRoot?: string } {
  if (env.STRATA_ROOT) return { root: env.STRATA_ROOT };
  if (!mode.rootless) return { root: '/var/lib/strata' };
  const home = env.HOME;
  const data = env.XDG_DATA_HOME && path.isAbsolute(env.XDG_DATA_HOME) ? env.XDG_DATA_HOME : home ? path.join(home, '.local', 'share') : undefined;
  if (!data) throw unavailable('rootless mode keeps its store in $XDG_DATA_HOME/strata or ~/.local/share/strata, and neither HOME nor XDG_DATA_HOME is set');
  return { root: path.join(data, 'strata'), runRoot: userRuntimeDir(env, mode) };
}

/** Where the launcher keeps the user's namespace keeper: $XDG_RUNTIME_DIR/strata, else /tmp/strata-UID (as userns.c). */
export function userRuntimeDir(env: NodeJS.ProcessEnv, mode: EngineMode): string {
  const xdg = env.XDG_RUNTIME_DIR;
  return xdg && path.isAbsolute(xdg) ? path.join(xdg, 'strata') : `/tmp/strata-${mode.hostUid}`;
}

/**
 * The xattr namespace overlayfs keeps its metadata in (opaque dirs): trusted.*
 * needs CAP_SYS_ADMIN in the host's namespace, so rootless overlay mounts with
 * `userxattr` and reads user.overlay.*.
 */
export function overlayXattrPrefix(): string {
  return engineMode().rootless ? 'user.overlay.' : 'trusted.overlay.';
}

/** Kernel parameters whose presence says the mount option below is understood. */
const KERNEL_OPTIONS: Array<[string, string]> = [
  ['index', 'index=off'],
  ['redirect_dir', 'redirect_dir=off'],
  ['metacopy', 'metacopy=off'],
];

/**
 * Overlay options beyond the dirs. Root: index=off (layers shared by many
 * overlays), redirect_dir=off and metacopy=off (every change a plain file or
 * whiteout, as layer tars carry them), each when this kernel knows it. In a
 * user namespace the kernel takes `userxattr` alone (measured here: adding any
 * of the others makes the mount fail), and then keeps redirects and metacopy off itself.
 */
export function overlayOptions(): string[] {
  if (engineMode().rootless) return ['userxattr'];
  return KERNEL_OPTIONS.filter(([parameter]) => fs.existsSync(`/sys/module/overlay/parameters/${parameter}`)).map(([, option]) => option);
}

/** How to give a user cgroups of their own, said wherever rootless mode refuses what needs them. */
export const delegationHelp =
  'enable cgroup v2 delegation for your user (systemd does it with Delegate=yes in user@.service; elsewhere an administrator chowns a cgroup v2 subtree to you and starts your session in it)';

/**
 * Whether the engine may make cgroups beneath `dir`, its own cgroup in one
 * hierarchy. Root may anywhere; a rootless engine only in a cgroup v2 subtree
 * delegated to its user (the directory and its cgroup.procs are the user's).
 */
export function mayUseCgroup(dir: string, controllers: string): boolean {
  if (!engineMode().rootless) return true;
  if (controllers !== 'v2') return false;
  try {
    fs.accessSync(dir, fs.constants.W_OK);
    fs.accessSync(path.join(dir, 'cgroup.procs'), fs.constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

/** Rootless, a limit the user's cgroups cannot hold is refused, where root mode drops it with Docker's warning. */
export function refuseRootlessLimit(flag: string): void {
  if (!engineMode().rootless) return;
  throw unavailable(`${flag} cannot be set: a rootless engine limits only through cgroup v2 controllers delegated to your user, and none here offers it; ${delegationHelp}`);
}

/** Whether this process may open /dev/net/tun, which pasta and slirp4netns need (0666 on desktops, by udev). */
export function tunUsable(): boolean {
  try {
    fs.accessSync('/dev/net/tun', fs.constants.R_OK | fs.constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

export const tunHelp =
  '/dev/net/tun is not usable by your user, so rootless containers get no network but --network none (a desktop\'s udev makes it 0666: KERNEL=="tun", MODE="0666")';

/** What a rootless engine cannot do as this machine is set up, one line each (empty in root mode). */
export function rootlessWarnings(hasCgroups: boolean): string[] {
  const mode = engineMode();
  if (!mode.rootless) return [];
  const warnings: string[] = [];
  const single = singleIdWarning(mode);
  if (single) warnings.push(single);
  if (!hasCgroups) warnings.push(`no cgroup v2 subtree is delegated to your user, so pause and resource limits are refused; ${delegationHelp}`);
  if (!tunUsable()) warnings.push(tunHelp);
  return warnings;
}

/**
 * The command that runs `argv` as the desktop user whose namespace this is,
 * with Chromium's sandbox possible: a user namespace nested in this one that
 * maps the user's own uid and gid onto root here (which is the user on the
 * host), so Electron sees its real ids, not root, and needs no --no-sandbox.
 */
export function asHostUser(uid: number, gid: number, argv: string[]): string[] {
  return ['unshare', '--user', `--map-user=${uid}`, `--map-group=${gid}`, '--', ...argv];
}
