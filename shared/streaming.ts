/**
 * Streaming services a setlist's songs can be looked up on, and the search link of
 * a song on each. Free of zod and of Node: the concert page builds the same links
 * the server writes into a downloaded M3U.
 */
export const STREAMING_SERVICES = ['spotify', 'apple-music', 'youtube-music', 'deezer', 'tidal'] as const;
export type StreamingService = (typeof STREAMING_SERVICES)[number];

export const DEFAULT_STREAMING_SERVICE: StreamingService = 'spotify';

export const STREAMING_SERVICE_NAMES: Record<StreamingService, string> = {
  spotify: 'Spotify',
  'apple-music': 'Apple Music',
  'youtube-music': 'YouTube Music',
  deezer: 'Deezer',
  tidal: 'Tidal',
};

const SEARCH_URLS: Record<StreamingService, (q: string) => string> = {
  spotify: (q) => `https://open.spotify.com/search/${q}`,
  'apple-music': (q) => `https://music.apple.com/search?term=${q}`,
  'youtube-music': (q) => `https://music.youtube.com/search?q=${q}`,
  deezer: (q) => `https://www.deezer.com/search/${q}`,
  tidal: (q) => `https://listen.tidal.com/search?q=${q}`,
};

export const isStreamingService = (value: unknown): value is StreamingService =>
  typeof value === 'string' && (STREAMING_SERVICES as readonly string[]).includes(value);

/** The service's search for "artist song" (the artist left out when unknown); whitespace is collapsed first. */
export function songSearchUrl(service: StreamingService, artist: string | null, song: string): string {
  const query = [artist, song]
    .filter((part): part is string => !!part)
    .join(' ')
    .replace(/\s+/g, ' ')
    .trim();
  // encodeURIComponent also escapes '/', '?' and '#': safe in a path segment as in a query value.
  return SEARCH_URLS[service](encodeURIComponent(query));
}
