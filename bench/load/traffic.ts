/**
 * The mix of requests a signed-in browser sends while someone browses their history:
 * timeline pages (first, next, by year), concert pages, photo grids, stats, the
 * session check, and a few writes (star or unstar a photo, edit a concert's notes).
 * Requests are pre-built for random users and handed out in turn, so every
 * connection plays many users and no two connections march in step.
 */
import { encodeCursor } from '../../server/repositories/cursor.js';
import type { SeededUser } from './seed.js';
import type { BrowserIdentity } from './sessions.js';
import { createRandom, type Random } from './random.js';

export interface LoadRequest {
  kind: RequestKind;
  method: 'GET' | 'POST';
  path: string;
  headers: Record<string, string>;
  body?: string;
}

/** Relative weights, per 100 requests. */
export const MIX = {
  'concerts.list (first page)': 22,
  'concerts.list (next page)': 8,
  'concerts.list (a year)': 5,
  'concerts.years': 5,
  'concerts.get': 20,
  'photos.list (concert grid)': 20,
  'stats.summary': 10,
  'auth.me': 5,
  'photos.star (write)': 2.5,
  'concerts.update notes (write)': 2.5,
} as const;
export type RequestKind = keyof typeof MIX;

const PAGE = 30;

const query = (procedure: string, input?: unknown) =>
  `/trpc/${procedure}${input === undefined ? '' : `?input=${encodeURIComponent(JSON.stringify({ json: input }))}`}`;

export interface SignedInUser extends SeededUser {
  cookie: string;
}

export function buildRequest(kind: RequestKind, user: SignedInUser, identity: BrowserIdentity, random: Random): LoadRequest {
  const headers = { cookie: user.cookie, 'accept-encoding': 'gzip, deflate, br', ...identity.proxyHeaders };
  const get = (path: string): LoadRequest => ({ kind, method: 'GET', path, headers });
  const post = (procedure: string, input: unknown): LoadRequest => ({
    kind,
    method: 'POST',
    path: `/trpc/${procedure}`,
    headers: { ...headers, 'content-type': 'application/json', origin: identity.origin },
    body: JSON.stringify({ json: input }),
  });
  // People open what the timeline shows first far more often than the rest of their history.
  const concert = () => (random.chance(0.7) ? random.pick(user.concerts.slice(0, PAGE)) : random.pick(user.concerts));
  switch (kind) {
    case 'concerts.list (first page)':
      return get(query('concerts.list', { limit: PAGE }));
    case 'concerts.list (next page)': {
      const page = random.int(1, Math.max(1, Math.floor((user.concerts.length - 1) / PAGE)));
      const last = user.concerts[page * PAGE - 1] ?? user.concerts.at(-1)!;
      return get(query('concerts.list', { limit: PAGE, cursor: encodeCursor([last.date, last.id]) }));
    }
    case 'concerts.list (a year)':
      return get(query('concerts.list', { limit: PAGE, year: concert().year }));
    case 'concerts.years':
      return get(query('concerts.years'));
    case 'concerts.get':
      return get(query('concerts.get', { id: concert().id }));
    case 'photos.list (concert grid)':
      return get(query('photos.list', { concertId: concert().id, limit: 60 }));
    case 'stats.summary':
      return get(query('stats.summary'));
    case 'auth.me':
      return get(query('auth.me'));
    case 'photos.star (write)':
      return post('photos.star', { id: random.pick(user.starTargets), starred: random.chance(0.5) });
    case 'concerts.update notes (write)':
      return post('concerts.update', { id: concert().id, notes: `Seen again, note ${random.int(1, 1_000_000)}` });
  }
}

/** A long list of requests drawn from the mix for random users; the load takes them in turn. */
export function requestPool(users: SignedInUser[], identity: BrowserIdentity, size: number, only?: RequestKind[], seed = 23): LoadRequest[] {
  const random = createRandom(seed);
  const kinds = (Object.entries(MIX) as Array<[RequestKind, number]>).filter(([kind]) => !only || only.includes(kind));
  if (!kinds.length) throw new Error(`No request kind left in the mix; kinds are: ${Object.keys(MIX).join(', ')}`);
  return Array.from({ length: size }, () => buildRequest(random.weighted(kinds), random.pick(users), identity, random));
}

/**
 * Sends `perKind` requests of every kind (for different users) and fails unless each
 * answers 200: a wrong input would answer 400 fast and fake good figures. Returns the
 * sizes of the answers as sent (compressed when the app compresses).
 */
export async function verifyMix(url: string, users: SignedInUser[], identity: BrowserIdentity, perKind = 10): Promise<Map<RequestKind, number>> {
  const random = createRandom(99);
  const sizes = new Map<RequestKind, number>();
  for (const kind of Object.keys(MIX) as RequestKind[]) {
    let bytes = 0;
    for (let i = 0; i < perKind; i++) {
      const request = buildRequest(kind, random.pick(users), identity, random);
      const response = await fetch(`${url}${request.path}`, { method: request.method, headers: request.headers, body: request.body ?? null });
      const text = await response.text();
      if (response.status !== 200) throw new Error(`${kind} answered ${response.status}: ${text.slice(0, 500)}\n${request.method} ${request.path}`);
      bytes += Number(response.headers.get('content-length') ?? Buffer.byteLength(text));
    }
    sizes.set(kind, Math.round(bytes / perKind));
  }
  return sizes;
}
