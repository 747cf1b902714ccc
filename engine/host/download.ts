// A byte stream of the engine (image.save, container.export, container.logs)
// as a file download, so "Save" in the browser lands in the user's
// downloads folder:
//
//   GET /download/<ticket>
//
// The page asks for the ticket over its websocket (./tickets.ts); the ticket
// names the one stream, its argument and the file name, all checked by the
// front end's policy when it was issued. The stream is opened through the
// dispatcher, like every other, and its bytes (./byteStream.ts) are the
// body, read only as fast as the browser takes them. The status line waits
// for the first byte, so a stream that fails at once (an unknown image)
// answers with a real error status instead of an empty file. Closing the
// download in the browser closes the stream.

import type { ServerResponse } from 'node:http';
import { asEngineError, type ErrorKind, type ErrorPayload } from '../errors';
import { dispatchStream } from '../rpc/dispatch';
import { bytesOf } from './byteStream';
import type { EngineHandlers } from './session';
import type { Ticket } from './tickets';

export const downloadPrefix = '/download/';

const statusFor: Record<ErrorKind, number> = {
  NotFound: 404,
  AlreadyExists: 409,
  InvalidArgument: 400,
  Conflict: 409,
  Unavailable: 503,
  Unauthorized: 401,
  CannotExecute: 500,
  CommandNotFound: 500,
  Internal: 500,
};

/** A file name safe for Content-Disposition: no path, no quotes or control characters. */
export function attachmentName(name: string | null): string {
  const base = (name ?? '').split(/[\\/]/).pop() ?? '';
  const clean = base.replace(/[\u0000-\u001f\u007f"]/g, '').trim();
  return clean === '' || clean === '.' || clean === '..' ? 'download' : clean;
}

function contentDisposition(name: string): string {
  const ascii = name.replace(/[^\x20-\x7e]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}`;
}

export function serveDownload(engine: EngineHandlers, ticket: Ticket, res: ServerResponse, headers: Record<string, string>): void {
  const filename = attachmentName(ticket.filename);
  const fail = (error: ErrorPayload) => {
    if (res.headersSent) {
      // Mid-file: only cutting the connection tells the browser the download failed.
      res.destroy();
      return;
    }
    res.writeHead(statusFor[error.code] ?? 500, { ...headers, 'Content-Type': 'text/plain; charset=utf-8' });
    res.end(`${error.message}\n`);
  };
  let ended = false;
  const start = () => {
    if (res.headersSent) return;
    res.writeHead(200, {
      ...headers,
      'Content-Type': filename.endsWith('.tar') ? 'application/x-tar' : 'application/octet-stream',
      'Content-Disposition': contentDisposition(filename),
    });
  };
  try {
    const handle = dispatchStream(engine.streams, ticket.name, ticket.arg, {
      onMessage(message) {
        const bytes = bytesOf(message);
        if (!bytes || ended) return;
        start();
        if (!res.write(bytes)) {
          handle.pause?.();
          res.once('drain', () => handle.resume?.());
        }
      },
      onEnd(error) {
        ended = true;
        if (error) return fail(error);
        start();
        res.end();
      },
    });
    // 'close' on the response: the browser cancelled, or the connection dropped.
    res.on('close', () => {
      if (!ended) {
        ended = true;
        handle.close();
      }
    });
  } catch (err) {
    fail(asEngineError(err).toPayload());
  }
}
