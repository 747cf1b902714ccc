// Docker's POST /containers/{id}/resize: one resize frame through the
// monitor's attach socket (reached through /proc/self/fd, so long run dirs
// fit sun_path). The monitor resizes the container's pty; without -t it has
// none and the frame changes nothing.

import fs from 'node:fs';
import net from 'node:net';
import { asEngineError, conflict } from '../errors';
import { findContainer, type RuntimeContext } from './context';
import { encodeInput } from './frames';

export function resizeContainer(ctx: RuntimeContext, ref: string, rows: number, cols: number): Promise<void> {
  const row = findContainer(ctx, ref);
  if (row.state !== 'running' && row.state !== 'paused') return Promise.reject(conflict(`Container ${row.id} is not running`));
  const dirFd = fs.openSync(ctx.paths.runDir(row.id), 'r');
  return new Promise((resolve, reject) => {
    const socket = net.createConnection(`/proc/self/fd/${dirFd}/attach.sock`);
    let settled = false;
    const done = (err?: Error) => {
      if (settled) return;
      settled = true;
      fs.closeSync(dirFd);
      socket.destroy();
      if (err) reject(asEngineError(err));
      else resolve();
    };
    socket.once('error', done);
    socket.once('connect', () => socket.end(encodeInput({ resize: { rows, cols } }), () => done()));
  });
}
