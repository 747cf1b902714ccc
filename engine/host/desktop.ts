// Electron started as the desktop user, never as root. `sudo strata gui`
// (or pkexec) runs the engine as root; the window is Chromium, which keeps
// its sandbox only when it does not run as root. So the launcher finds the
// user who asked (SUDO_UID, PKEXEC_UID), hands Electron the engine socket
// (./engineSocket.ts) in its environment, and runs it as that user with
// that user's groups, through util-linux's setpriv. A rootless engine (a
// user's own `strata gui`) runs in the user's namespace instead: Electron is
// then started as that user through a nested namespace (rootless.ts).

import { spawn, spawnSync } from 'node:child_process';
import { asHostUser, engineMode } from '../rootless';
import { startEngineSocket } from './engineSocket';
import { engineLinkEnv, type EngineLink } from './link';
import type { EngineHandlers } from './session';

export interface DesktopUser {
  uid: number;
  gid: number;
  name: string;
  home: string;
  shell: string;
}

/** The passwd entry of `uid` (through NSS, as login does), or undefined. */
export function lookupUser(uid: number): DesktopUser | undefined {
  const r = spawnSync('getent', ['passwd', String(uid)], { encoding: 'utf8' });
  const [name, , u, g, , home, shell] = (r.status === 0 ? r.stdout.trim() : '').split(':');
  if (!name || Number(u) !== uid || !Number.isInteger(Number(g))) return undefined;
  return { uid, gid: Number(g), name, home: home ?? '/', shell: shell ?? '/bin/sh' };
}

/**
 * The user on whose behalf root runs this: sudo's SUDO_UID, else pkexec's
 * PKEXEC_UID. Undefined when nobody but root asked (root's own login).
 */
export function desktopUser(env: NodeJS.ProcessEnv, lookup = lookupUser): DesktopUser | undefined {
  for (const key of ['SUDO_UID', 'PKEXEC_UID']) {
    const text = env[key];
    if (text === undefined || !/^\d+$/.test(text)) continue;
    const uid = Number(text);
    if (uid === 0) return undefined;
    return lookup(uid);
  }
  return undefined;
}

/** Who the window (or browser) runs as: the rootless engine's own user, else the user root runs this for. */
export function sessionUser(env: NodeJS.ProcessEnv): DesktopUser | undefined {
  const mode = engineMode();
  return mode.rootless ? lookupUser(mode.hostUid) : desktopUser(env);
}

/** What the desktop session needs of root's environment (sudo keeps some of it); nothing of root's own. */
const sessionKeys = ['DISPLAY', 'WAYLAND_DISPLAY', 'XAUTHORITY', 'XDG_RUNTIME_DIR', 'DBUS_SESSION_BUS_ADDRESS', 'XDG_SESSION_TYPE', 'LANG', 'LANGUAGE', 'TZ', 'PATH'];

/** A program's environment in the desktop session: its variables, the user's own identity, and for Electron the link to the engine. */
export function desktopEnv(env: NodeJS.ProcessEnv, user: DesktopUser, link?: EngineLink): NodeJS.ProcessEnv {
  const out: NodeJS.ProcessEnv = {};
  for (const key of Object.keys(env)) {
    if (sessionKeys.includes(key) || key.startsWith('LC_')) out[key] = env[key];
  }
  Object.assign(out, { HOME: user.home, USER: user.name, LOGNAME: user.name, SHELL: user.shell });
  out.XDG_RUNTIME_DIR ??= `/run/user/${user.uid}`;
  if (link) {
    out[engineLinkEnv.socket] = link.socket;
    out[engineLinkEnv.token] = link.token;
  }
  return out;
}

/** The command that runs `argv` as `user`, with the user's supplementary groups and no capability of root's. */
export function asUser(user: DesktopUser, argv: string[]): string[] {
  if (engineMode().rootless) return asHostUser(user.uid, user.gid, argv);
  return ['setpriv', `--reuid=${user.uid}`, `--regid=${user.gid}`, '--init-groups', '--', ...argv];
}

/** The argument that tells Electron's main process to open the tour (electron/main.ts reads it). */
export const tourArg = '--strata-tour';

export interface DesktopAppOptions {
  /** Electron's executable, and the app it loads (the package root). */
  binary: string;
  appDir: string;
  engine: EngineHandlers;
  user: DesktopUser;
  /** Root's environment, which the desktop session's variables come from. */
  env: NodeJS.ProcessEnv;
  /** Open the window at the tour (`strata gui --tour`). */
  tour?: boolean;
}

/**
 * Runs the desktop app until its window closes: the engine socket for the
 * user, Electron as the user. Resolves to Electron's exit code; a SIGINT or
 * SIGTERM to this process is passed on to Electron, which then ends.
 */
export async function runDesktopApp(options: DesktopAppOptions): Promise<number> {
  const { user } = options;
  // Rootless, the user is root here: the socket is the user's on the host as it is.
  const socket = await startEngineSocket({ engine: options.engine, owner: engineMode().rootless ? { uid: 0, gid: 0 } : user });
  try {
    const [command, ...args] = asUser(user, [options.binary, options.appDir, ...(options.tour ? [tourArg] : [])]);
    const env = desktopEnv(options.env, user, { socket: socket.path, token: socket.token });
    return await new Promise<number>((resolve, reject) => {
      const child = spawn(command, args, { stdio: 'inherit', env, cwd: '/' });
      const forward = (signal: NodeJS.Signals) => child.kill(signal);
      process.on('SIGINT', forward);
      process.on('SIGTERM', forward);
      const done = () => {
        process.removeListener('SIGINT', forward);
        process.removeListener('SIGTERM', forward);
      };
      child.on('error', (err) => {
        done();
        reject(err);
      });
      child.on('exit', (code, signal) => {
        done();
        resolve(code ?? (signal ? 128 : 1));
      });
    });
  } finally {
    await socket.close();
  }
}
