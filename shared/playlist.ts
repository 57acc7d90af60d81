/** A concert's setlist as a playlist file: formats and the download route. Free of zod so the concert page stays light. */
import type { StreamingService } from './streaming.js';

export const PLAYLIST_FORMATS = ['m3u', 'xspf'] as const;
export type PlaylistFormat = (typeof PLAYLIST_FORMATS)[number];

/** Where the browser downloads a concert's playlist from (GET, with the session cookie). */
export const playlistPath = (concertId: number, format: PlaylistFormat, service: StreamingService) =>
  `/api/playlists/concerts/${concertId}.${format}?service=${service}`;
