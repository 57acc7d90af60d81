/**
 * OpenStreetMap places around a point, from an Overpass API interpreter
 * (https://overpass-api.de/api/interpreter or any mirror), through the shared
 * upstream fetch (global throttle, timeout, backoff on 429/5xx).
 *
 * Overpass reports some failures inside a 200 answer: a query that runs out of
 * time or memory still ends with `]`, plus a top-level `remark` saying
 * "runtime error: …". Those count as transient, like a 504.
 */
import { z } from 'zod';
import { clippedName } from '../../../shared/text-normalise.js';
import { APP_VERSION } from '../../version.js';
import { UpstreamError, type UpstreamFetch } from '../upstream-fetch.js';
import { buildVenuesAroundQuery } from './overpass-query.js';

export const OVERPASS_SERVICE = 'overpass';
const SERVICE = OVERPASS_SERVICE;

// overpass-api.de answers 406 to requests without a User-Agent of their own (stock library agents included).
const DEFAULT_USER_AGENT = `ConcertHistory/${APP_VERSION} (self-hosted concert photo library; venue lookup)`;

const osmId = z.number().int().positive();
const tags = z.record(z.string(), z.string()).optional();
const center = z.object({ lat: z.number(), lon: z.number() });

/** `out center tags`: nodes carry lat/lon, ways and relations a center (missing when none of their nodes exist). */
const elementSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('node'), id: osmId, lat: z.number(), lon: z.number(), tags }),
  z.object({ type: z.literal('way'), id: osmId, center: center.optional(), tags }),
  z.object({ type: z.literal('relation'), id: osmId, center: center.optional(), tags }),
]);

export const overpassResponseSchema = z.object({
  version: z.number().optional(),
  generator: z.string().optional(),
  osm3s: z.object({ timestamp_osm_base: z.string(), copyright: z.string() }).partial().optional(),
  elements: z.array(elementSchema),
  remark: z.string().optional(),
});

export type OverpassResponse = z.infer<typeof overpassResponseSchema>;
export type OverpassElement = OverpassResponse['elements'][number];

export const osmPlaceSchema = z.object({
  osmType: z.enum(['node', 'way', 'relation']),
  osmId,
  name: z.string().min(1),
  /** The node's position, or the center of the way's or relation's bounding box. */
  latitude: z.number(),
  longitude: z.number(),
  tags: z.record(z.string(), z.string()),
  /** addr:city as mapped; often missing outside Europe. */
  city: z.string().nullable(),
  /** addr:country when it is an ISO 3166-1 alpha-2 code, upper-cased. */
  countryCode: z.string().length(2).nullable(),
});

export type OsmPlace = z.infer<typeof osmPlaceSchema>;

export interface OverpassClientOptions {
  /** The interpreter endpoint, e.g. https://overpass-api.de/api/interpreter. */
  url: string;
  upstreamFetch: UpstreamFetch;
  /** Identifies us to the operators, as their usage policy asks. */
  userAgent?: string;
}

export class OverpassClient {
  private readonly url: string;
  private readonly upstreamFetch: UpstreamFetch;
  private readonly userAgent: string;

  constructor(options: OverpassClientOptions) {
    this.url = options.url;
    this.upstreamFetch = options.upstreamFetch;
    this.userAgent = options.userAgent ?? DEFAULT_USER_AGENT;
  }

  /** Named music places within `radiusMeters` of the point, in the order Overpass lists them. */
  async findVenuesAround(latitude: number, longitude: number, radiusMeters: number): Promise<OsmPlace[]> {
    const response = await this.runQuery(buildVenuesAroundQuery({ latitude, longitude }, radiusMeters));
    return response.elements.flatMap((element) => {
      const place = toOsmPlace(element);
      return place ? [place] : [];
    });
  }

  /** Sends one Overpass QL query (which must ask for `[out:json]`) and returns the validated answer. */
  async runQuery(query: string): Promise<OverpassResponse> {
    const response = await this.upstreamFetch(this.url, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/x-www-form-urlencoded',
        Accept: 'application/json',
        'User-Agent': this.userAgent,
      },
      body: new URLSearchParams({ data: query }).toString(),
    });
    const text = await response.text();
    if (response.status !== 200) throw errorForStatus(response.status, text);

    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      // A proxy or an overloaded server in front of Overpass; the next try may reach the real thing.
      throw new UpstreamError(SERVICE, `answer is not JSON: ${excerpt(text)}`, 200, true);
    }
    const parsed = overpassResponseSchema.safeParse(json);
    if (!parsed.success) {
      throw new UpstreamError(SERVICE, `answer does not have the Overpass JSON shape: ${parsed.error.message}`, 200, false);
    }
    const remark = parsed.data.remark;
    if (remark !== undefined && /runtime error|timed out|out of memory/i.test(remark)) {
      throw new UpstreamError(SERVICE, `query failed on the server: ${remark.trim()}`, 200, true);
    }
    return parsed.data;
  }
}

function toOsmPlace(element: OverpassElement): OsmPlace | null {
  const tags = element.tags ?? {};
  // Shared with every user: one spelling, nothing hidden or reordered (shared/text-normalise.ts).
  const name = clippedName(tags.name ?? '');
  if (!name) return null;
  const position = element.type === 'node' ? { lat: element.lat, lon: element.lon } : element.center;
  if (!position) return null;
  const country = tags['addr:country']?.trim() ?? '';
  return {
    osmType: element.type,
    osmId: element.id,
    name,
    latitude: position.lat,
    longitude: position.lon,
    tags,
    city: clippedName(tags['addr:city'] ?? '') || null,
    countryCode: /^[a-z]{2}$/i.test(country) ? country.toUpperCase() : null,
  };
}

/** 429 and 502–504 never get here: the upstream fetch retries them and throws when it gives up. */
function errorForStatus(status: number, body: string): UpstreamError {
  const detail = overpassErrorText(body);
  if (status === 400) return new UpstreamError(SERVICE, `rejected the query (400): ${detail}`, status, false);
  if (status === 406) return new UpstreamError(SERVICE, `refused the request (406), check the User-Agent: ${detail}`, status, false);
  return new UpstreamError(SERVICE, `HTTP ${status}: ${detail}`, status, status >= 500);
}

/** Overpass explains errors in an XHTML page, one `<p><strong>Error</strong>: …</p>` per problem. */
function overpassErrorText(body: string): string {
  const errors = [...body.matchAll(/<strong[^>]*>\s*Error\s*<\/strong>:?([\s\S]*?)<\/p>/gi)].map((match) => stripTags(match[1] ?? ''));
  return errors.length > 0 ? errors.join('; ') : excerpt(stripTags(body));
}

function stripTags(html: string): string {
  return html
    .replace(/<[^>]*>/g, ' ')
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ')
    .trim();
}

function excerpt(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > 200 ? `${flat.slice(0, 200)}…` : flat || '(empty body)';
}
