// Download tickets. A browser saves a file by following a link, and a link
// carries no header: so the page asks for a ticket over its websocket (which
// holds the token), and the link names only the ticket. A ticket is random,
// good once, for a short time, for the one byte stream it was issued for,
// and dies with the connection that asked for it. A link found later (in the
// browser's download history, say) opens nothing.

import crypto from 'node:crypto';
import { unavailable } from '../errors';

export interface Ticket {
  readonly name: string;
  readonly arg: unknown;
  readonly filename: string;
}

/** The tickets one connection holds. */
export interface TicketScope {
  /** A new ticket's id; throws Unavailable when the connection holds too many. */
  issue(ticket: Ticket): string;
  /** The connection went: its tickets go with it. */
  revoke(): void;
}

export interface TicketBook {
  scope(): TicketScope;
  /** The ticket, used up now; undefined when unknown, used or expired. */
  take(id: string): Ticket | undefined;
  /** Tickets not yet used or expired, for tests of the caps. */
  readonly size: number;
}

/** Long enough for a click to become a request, short enough that nothing lingers. */
export const ticketLifetimeMs = 30_000;
/** Tickets one connection may hold unused: a user saves one file at a time. */
export const ticketsPerConnection = 8;

interface Entry {
  ticket: Ticket;
  expires: number;
  owner: Set<string>;
}

export function ticketBook(lifetimeMs = ticketLifetimeMs, perConnection = ticketsPerConnection): TicketBook {
  const entries = new Map<string, Entry>();
  const drop = (id: string) => {
    const entry = entries.get(id);
    entries.delete(id);
    entry?.owner.delete(id);
  };
  const sweep = (now: number) => {
    for (const [id, entry] of entries) if (entry.expires <= now) drop(id);
  };
  return {
    scope() {
      const mine = new Set<string>();
      return {
        issue(ticket) {
          const now = Date.now();
          sweep(now);
          if (mine.size >= perConnection) throw unavailable(`too many downloads waiting to start (at most ${perConnection})`);
          const id = crypto.randomBytes(24).toString('base64url');
          entries.set(id, { ticket, expires: now + lifetimeMs, owner: mine });
          mine.add(id);
          return id;
        },
        revoke() {
          for (const id of [...mine]) drop(id);
        },
      };
    },
    take(id) {
      const entry = entries.get(id);
      if (!entry) return undefined;
      drop(id);
      return entry.expires > Date.now() ? entry.ticket : undefined;
    },
    get size() {
      return entries.size;
    },
  };
}
