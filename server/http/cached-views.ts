/**
 * The hot read path. A GET of a cached view (a procedure whose meta declares `view`,
 * see trpc/init.ts) is looked up before Express's session, tRPC and compression run:
 * one Redis script checks the session, counts the API call and finds the stored
 * answer (wire-cache.ts). A hit is written out as the stored bytes (gzipped when the
 * browser accepts it), with a strong ETag (304 when the browser has it). Everything
 * else — no session, a session due for its periodic touch, a miss, the API limit
 * reached, a batch — goes on to the normal path, which answers exactly as it always
 * does; on a miss, `capture` keeps the answer tRPC writes and stores it.
 *
 * What protects users stays on this path: the session must be valid (signed cookie,
 * live record), the account must still exist (CurrentUsers, the same check the
 * session middleware makes), the per-user API limit is counted, and a stored answer
 * is only ever one this user got from the normal path for the very same input.
 */
import type { RequestHandler, Response } from 'express';
import superjson from 'superjson';
import type { CurrentUsers } from './current-users.js';
import type { UserSummary } from '../repositories/user.repository.js';
import { WireCache, type ViewToStore } from '../cache/wire-cache.js';
import { SESSION_COOKIE } from './session.js';
import { signedSessionId } from './session-cookie.js';

/** What a procedure's meta declares to be served from the wire cache. */
export interface ViewSpec {
  ttlSeconds: number;
  /** The tags (view-versions.ts) an answer depends on; null: this answer is not cached. */
  tags(input: unknown, output: unknown): readonly string[] | null;
}

/** Set on a request whose view missed: what the normal path needs to store its answer. */
export type ViewCapture = Omit<ViewToStore, 'tags'> & { tags: readonly string[] | null };

declare module 'express-serve-static-core' {
  interface Request {
    viewCapture?: ViewCapture;
  }
}

interface CachedViewsOptions {
  wireCache: WireCache;
  currentUsers: CurrentUsers;
  sessionSecret: string;
  /** Cached views by procedure path. */
  views: ReadonlyMap<string, ViewSpec>;
  counter: { count(name: string, kind: 'hit' | 'miss'): void };
}

/** The session-only view: `auth.me` is the signed-in user, answered from the session and CurrentUsers. */
const SESSION_VIEW = 'auth.me';

export function cachedViews({ wireCache, currentUsers, sessionSecret, views, counter }: CachedViewsOptions) {
  const serve: RequestHandler = async (req, res, next) => {
    if (req.method !== 'GET') return next();
    const query = req.url.indexOf('?');
    const procedure = (query < 0 ? req.url : req.url.slice(0, query)).slice(1);
    const view = views.get(procedure);
    const sessionOnly = procedure === SESSION_VIEW;
    if (!view && !sessionOnly) return next();
    const params = new URLSearchParams(query < 0 ? '' : req.url.slice(query + 1));
    if (params.has('batch')) return next();
    const sessionId = signedSessionId(req.headers.cookie, SESSION_COOKIE, sessionSecret);
    if (!sessionId) return next();
    const inputHash = WireCache.inputHash(params.get('input') ?? '');
    const wantsGzip = acceptsGzip(req.headers['accept-encoding']);
    try {
      const found = await wireCache.lookup(sessionId, procedure, inputHash, wantsGzip, sessionOnly);
      if (found.kind === 'decline' || found.kind === 'limited') return next();
      // The account may be gone (or changed) since the session was made: the same check as the session middleware's.
      const user = await currentUsers.get(found.userId);
      if (!user) return next();
      if (found.kind === 'session') return sendJson(res, sessionViewBody(user));
      if (found.kind === 'miss') {
        counter.count(`wire:${procedure}`, 'miss');
        req.viewCapture = {
          userId: found.userId,
          procedure,
          inputHash,
          epoch: found.epoch,
          seq: found.seq,
          ttlSeconds: view!.ttlSeconds,
          tags: null,
        };
        return next();
      }
      counter.count(`wire:${procedure}`, 'hit');
      sendStored(res, found.body, found.etag, found.gzipped, req.headers['if-none-match']);
    } catch (error) {
      // Redis trouble: the normal path answers (503 when the session store is down).
      req.log.warn({ err: error, procedure }, 'cached view lookup failed');
      next();
    }
  };

  /**
   * After compression, before tRPC: keeps the answer of a missed view whole, stores it,
   * then sends it as a hit would be sent (the stored gzip, not a second compression).
   */
  const capture: RequestHandler = (req, res, next) => {
    const capture = req.viewCapture;
    if (!capture) return next();
    const chunks: Buffer[] = [];
    const write = res.write.bind(res) as (chunk: unknown) => boolean;
    const end = res.end.bind(res) as (chunk?: unknown) => Response;
    res.write = ((chunk: unknown) => {
      chunks.push(toBuffer(chunk));
      return true;
    }) as Response['write'];
    res.end = ((chunk?: unknown) => {
      if (chunk !== undefined && typeof chunk !== 'function') chunks.push(toBuffer(chunk));
      res.write = write as Response['write'];
      res.end = end as Response['end'];
      const body = Buffer.concat(chunks);
      const tags = capture.tags;
      if (res.statusCode !== 200 || !tags) return end(body);
      void (async () => {
        const answer = await WireCache.encode(body);
        // Stored before it is sent: the browser's next request for it is a hit.
        await wireCache.store({ ...capture, tags }, answer).catch((error: unknown) => req.log.warn({ err: error }, 'storing a cached view failed'));
        // Content-Encoding set here tells the compression middleware the answer is encoded already.
        const gzipped = answer.gzipped && acceptsGzip(req.headers['accept-encoding']) ? answer.gzipped : null;
        const sent = sentAnswer(res, gzipped ?? body, answer.etag, gzipped !== null, req.headers['if-none-match']);
        end(sent ?? undefined);
      })().catch((error: unknown) => {
        req.log.error({ err: error }, 'sending a cached view failed');
        end(body);
      });
      return res;
    }) as Response['end'];
    next();
  };

  return { serve, capture };
}

/** The user's own data: kept by the browser, never by a shared cache, and checked again (ETag) before use. */
const PRIVATE_REVALIDATE = 'private, no-cache';

function sendStored(res: Response, body: Buffer, etag: string, gzipped: boolean, ifNoneMatch: string | undefined) {
  res.setHeader('Content-Type', 'application/json');
  const sent = sentAnswer(res, body, etag, gzipped, ifNoneMatch);
  res.end(sent ?? undefined);
}

/** Sets an answer's headers, the same for a hit and for the miss that stored it; the body to send, or null for a 304. */
function sentAnswer(res: Response, body: Buffer, etag: string, gzipped: boolean, ifNoneMatch: string | undefined): Buffer | null {
  res.setHeader('Vary', 'Accept-Encoding');
  res.setHeader('ETag', etag);
  res.setHeader('Cache-Control', PRIVATE_REVALIDATE);
  if (ifNoneMatch === etag) {
    res.statusCode = 304;
    res.removeHeader('Content-Length');
    return null;
  }
  if (gzipped) res.setHeader('Content-Encoding', 'gzip');
  res.setHeader('Content-Length', body.length);
  return body;
}

function sendJson(res: Response, body: string) {
  res.setHeader('Content-Type', 'application/json');
  res.setHeader('Content-Length', Buffer.byteLength(body));
  res.end(body);
}

/** What tRPC writes for `auth.me` (a query's result, through superjson). */
export function sessionViewBody(user: UserSummary): string {
  return JSON.stringify({ result: { data: superjson.serialize(user) } });
}

function acceptsGzip(header: string | undefined): boolean {
  return header !== undefined && /\bgzip\b/.test(header) && !/\bgzip\s*;\s*q=0(\.0*)?\b/.test(header);
}

function toBuffer(chunk: unknown): Buffer {
  return Buffer.isBuffer(chunk) ? chunk : typeof chunk === 'string' ? Buffer.from(chunk) : Buffer.from(chunk as Uint8Array);
}
