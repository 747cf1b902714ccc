// Download tickets: good once, for a short time, and gone with their connection.

import { describe, expect, it } from 'vitest';
import { ticketBook } from './tickets';

const save = { name: 'image.save', arg: { refs: ['x'] }, filename: 'x.tar' };

describe('download tickets', () => {
  it('open their one stream once', () => {
    const book = ticketBook();
    const id = book.scope().issue(save);
    expect(id).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(book.take(id)).toEqual(save);
    expect(book.take(id)).toBeUndefined();
    expect(book.take('made-up')).toBeUndefined();
  });

  it('expire', async () => {
    const book = ticketBook(20);
    const id = book.scope().issue(save);
    await new Promise((r) => setTimeout(r, 40));
    expect(book.take(id)).toBeUndefined();
    expect(book.size).toBe(0);
  });

  it('are few per connection, and die with it', () => {
    const book = ticketBook(30_000, 2);
    const mine = book.scope();
    const other = book.scope();
    const a = mine.issue(save);
    mine.issue(save);
    expect(() => mine.issue(save)).toThrow(/too many downloads waiting to start \(at most 2\)/);
    const b = other.issue(save);
    mine.revoke();
    expect(book.take(a)).toBeUndefined();
    expect(book.take(b)).toEqual(save);
    // Used tickets make room again.
    const c = mine.issue(save);
    book.take(c);
    mine.issue(save);
    mine.issue(save);
    expect(book.size).toBe(2);
  });
});
