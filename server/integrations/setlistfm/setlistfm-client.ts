/**
 * setlist.fm API 1.0: venue, setlist and artist searches and single setlists.
 * Every call goes through the shared upstream fetch (global throttle, retries on
 * 429/5xx), and searches are cached in Redis for an hour so that every process
 * reuses an answer, "nothing found" included.
 *
 * setlist.fm answers a search that finds nothing with 404; that is an empty page
 * here, never an error.
 *
 * Its quotas (about 2 requests a second and 1,440 a day per key) are kept by a
 * daily budget shared by every process (setlistfm-upstream.ts). When the day's
 * budget is spent, every call throws QuotaExhaustedError with `resumeAt`, the
 * next 00:00 UTC: the caller waits until then rather than treating the evening as
 * unknown to setlist.fm.
 */
import { createHash } from 'node:crypto';
import type { z } from 'zod';
import type { JsonCache } from '../../cache/json-cache.js';
import type { DailyBudget } from '../../rate-limit/daily-budget.js';
import { UpstreamError, type UpstreamFetch } from '../upstream-fetch.js';
import {
  setlistFmArtistPageSchema,
  setlistFmErrorSchema,
  setlistFmSetlistPageSchema,
  setlistFmSetlistSchema,
  setlistFmVenuePageSchema,
  toSetlistFmDate,
  type SetlistFmArtistPage,
  type SetlistFmSetlist,
  type SetlistFmSetlistPage,
  type SetlistFmVenuePage,
} from './setlistfm.schemas.js';

export { isQuotaExhausted, QuotaExhaustedError } from '../../rate-limit/daily-budget.js';

export const SETLISTFM_SERVICE = 'setlist.fm';
const SEARCH_TTL_SECONDS = 60 * 60;
/** Fixed by the API; used for the empty page we make from a 404. */
const ITEMS_PER_PAGE = 20;

export interface SetlistFmClientOptions {
  /** e.g. https://api.setlist.fm/rest/1.0 */
  baseUrl: string;
  apiKey: string;
  upstreamFetch: UpstreamFetch;
  cache: JsonCache;
  /** The budget the upstream fetch spends: asked, after a 429 that outlasted every retry, whether the day is spent. */
  budget?: Pick<DailyBudget, 'exhaustion'>;
}

export interface VenueSearch {
  name: string;
  /** GeoNames id of the city. */
  cityId?: string | number;
  cityName?: string;
  /** ISO 3166-1 alpha-2. */
  countryCode?: string;
  page?: number;
}

export interface SetlistSearch {
  venueId?: string;
  cityId?: string | number;
  /** The evening's local date, yyyy-MM-dd. */
  date?: string;
  artistMbid?: string;
  artistName?: string;
  page?: number;
}

export interface ArtistSearch {
  artistName: string;
  page?: number;
}

export interface AllSetlists {
  setlists: SetlistFmSetlist[];
  /** What setlist.fm counts for the query, which may be more than was fetched. */
  total: number;
  /** False when `maxPages` stopped the walk before the last page. */
  complete: boolean;
}

type Query = Record<string, string | number | undefined>;

export class SetlistFmClient {
  private readonly baseUrl: string;

  constructor(private readonly options: SetlistFmClientOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
  }

  searchVenues(search: VenueSearch): Promise<SetlistFmVenuePage> {
    // The venue search calls the country parameter `country` (setlists use `countryCode`).
    const query = { name: search.name, cityId: search.cityId, cityName: search.cityName, country: search.countryCode, p: search.page };
    return this.search('/search/venues', query, setlistFmVenuePageSchema, (p) => ({ venue: [], total: 0, page: p, itemsPerPage: ITEMS_PER_PAGE }));
  }

  searchSetlists(search: SetlistSearch): Promise<SetlistFmSetlistPage> {
    const query = {
      venueId: search.venueId,
      cityId: search.cityId,
      date: search.date === undefined ? undefined : toSetlistFmDate(search.date),
      artistMbid: search.artistMbid,
      artistName: search.artistName,
      p: search.page,
    };
    return this.search('/search/setlists', query, setlistFmSetlistPageSchema, (p) => ({
      setlist: [],
      total: 0,
      page: p,
      itemsPerPage: ITEMS_PER_PAGE,
    }));
  }

  searchArtists(search: ArtistSearch): Promise<SetlistFmArtistPage> {
    const query = { artistName: search.artistName, p: search.page };
    return this.search('/search/artists', query, setlistFmArtistPageSchema, (p) => ({ artist: [], total: 0, page: p, itemsPerPage: ITEMS_PER_PAGE }));
  }

  /** The current version of one setlist, or null when setlist.fm does not know the id. */
  async setlist(setlistId: string): Promise<SetlistFmSetlist | null> {
    return this.get(`/setlist/${encodeURIComponent(setlistId)}`, {}, setlistFmSetlistSchema, () => null);
  }

  /** Every setlist of a search, page after page, up to `maxPages` pages (one show date can fill more than one). */
  async allSetlists(search: Omit<SetlistSearch, 'page'>, maxPages = 3): Promise<AllSetlists> {
    const byId = new Map<string, SetlistFmSetlist>();
    let total = 0;
    let pages = 1;
    for (let page = 1; page <= Math.min(pages, maxPages); page += 1) {
      const result = await this.searchSetlists({ ...search, page });
      total = result.total;
      pages = Math.ceil(result.total / result.itemsPerPage);
      // Pages can shift while we walk them (a setlist added meanwhile): an id seen twice counts once.
      for (const setlist of result.setlist) byId.set(setlist.id, setlist);
      if (result.setlist.length === 0) break;
    }
    return { setlists: [...byId.values()], total, complete: pages <= maxPages };
  }

  private async search<S extends z.ZodType>(path: string, query: Query, schema: S, emptyPage: (page: number) => z.output<S>): Promise<z.output<S>> {
    const normalized = normalizeQuery(query);
    const cacheName = `setlistfm:${createHash('sha256').update(`${path}?${normalized}`).digest('hex')}`;
    return this.options.cache.getOrLoad(cacheName, schema, SEARCH_TTL_SECONDS, () =>
      this.get(path, query, schema, () => emptyPage(Number(query.p ?? 1))),
    );
  }

  private async get<S extends z.ZodType, E>(path: string, query: Query, schema: S, notFound: () => E): Promise<z.output<S> | E> {
    const normalized = normalizeQuery(query);
    const url = `${this.baseUrl}${path}${normalized ? `?${normalized}` : ''}`;
    let response: Response;
    try {
      response = await this.options.upstreamFetch(url, {
        headers: { 'x-api-key': this.options.apiKey, Accept: 'application/json', 'Accept-Language': 'en' },
      });
    } catch (error) {
      // The last try's 429 may have been setlist.fm saying the key's day is spent: then it is that, not a passing 429.
      if (error instanceof UpstreamError && error.status === 429) {
        const spent = await this.options.budget?.exhaustion();
        if (spent) throw spent;
      }
      throw error;
    }
    if (response.status === 404) {
      await response.body?.cancel();
      return notFound();
    }
    if (!response.ok) throw await errorFrom(response, path);
    const body = await readJson(response, path);
    const parsed = schema.safeParse(body);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const where = issue?.path.length ? issue.path.join('.') : 'the body';
      throw new UpstreamError(SETLISTFM_SERVICE, `unexpected answer from ${path}: ${where}: ${issue?.message ?? 'invalid'}`, response.status, false);
    }
    return parsed.data;
  }
}

/** Sorted, without empty values, trimmed: the same search always makes the same URL and cache key. */
function normalizeQuery(query: Query): string {
  const params = new URLSearchParams();
  for (const key of Object.keys(query).sort()) {
    const value = query[key];
    if (value === undefined) continue;
    const text = String(value).trim();
    if (text !== '' && !(key === 'p' && text === '1')) params.set(key, text);
  }
  return params.toString();
}

async function readJson(response: Response, path: string): Promise<unknown> {
  const text = await response.text();
  try {
    return JSON.parse(text);
  } catch {
    throw new UpstreamError(
      SETLISTFM_SERVICE,
      `answer from ${path} is not JSON (${response.headers.get('content-type') ?? 'no content type'})`,
      response.status,
      false,
    );
  }
}

async function errorFrom(response: Response, path: string): Promise<UpstreamError> {
  const text = await response.text().catch(() => '');
  let detail = '';
  try {
    const parsed = setlistFmErrorSchema.safeParse(JSON.parse(text));
    if (parsed.success && parsed.data.message) detail = `: ${parsed.data.message}`;
  } catch {
    // Not JSON (a proxy's HTML page): the status says enough.
  }
  const { status } = response;
  if (status === 401 || status === 403) {
    return new UpstreamError(SETLISTFM_SERVICE, `the API key was refused (HTTP ${status}${detail}); check SETLISTFM_API_KEY`, status, false);
  }
  // 4xx: this request will fail the same way next time. 5xx left by the upstream fetch's retries: later may work.
  return new UpstreamError(SETLISTFM_SERVICE, `HTTP ${status} from ${path}${detail}`, status, status >= 500);
}
