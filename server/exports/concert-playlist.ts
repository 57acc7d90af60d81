/**
 * A concert's setlist as the tracks of a playlist, before any file format: the
 * songs played live in order (tape songs left out, as the stats leave them out),
 * each with its streaming search link. setlist.fm gives MusicBrainz ids for
 * artists, never for songs, so the artist's MBID is the only one a track can carry.
 */
import type { SetlistSet } from '../../shared/concert.schema.js';
import type { PlaylistFormat } from '../../shared/playlist.js';
import { songSearchUrl, type StreamingService } from '../../shared/streaming.js';

export interface PlaylistConcert {
  concertDate: string;
  artist: { name: string; mbid: string | null } | null;
  venue: { name: string; city: string | null } | null;
  city: string | null;
  setlist: SetlistSet[] | null;
  setlistfmUrl: string | null;
}

export interface PlaylistTrack {
  title: string;
  creator: string | null;
  /** The song's search on the chosen streaming service: there is no file to point at. */
  searchUrl: string;
  artistMbid: string | null;
  /** Which set, whose song it covers, setlist.fm's note: what a listener might want to know. */
  annotation: string | null;
}

export interface Playlist {
  title: string;
  creator: string | null;
  artistMbid: string | null;
  /** The setlist's page on setlist.fm (their terms ask for the link wherever the data goes). */
  info: string | null;
  tracks: PlaylistTrack[];
}

export function concertPlaylist(concert: PlaylistConcert, service: StreamingService): Playlist {
  const creator = concert.artist?.name ?? null;
  const artistMbid = concert.artist?.mbid ?? null;
  const tracks: PlaylistTrack[] = [];
  for (const set of concert.setlist ?? []) {
    const setName = set.name || (set.encore ? (set.encore > 1 ? `Encore ${set.encore}` : 'Encore') : null);
    for (const song of set.songs) {
      const title = oneLine(song.name);
      if (song.tape || !title) continue;
      const notes = [setName, song.coverOf && `cover of ${oneLine(song.coverOf)}`, song.info && oneLine(song.info)].filter(Boolean);
      tracks.push({ title, creator, searchUrl: songSearchUrl(service, creator, title), artistMbid, annotation: notes.join('; ') || null });
    }
  }
  return { title: playlistTitle(concert), creator, artistMbid, info: concert.setlistfmUrl, tracks };
}

/** "Nick Cave at Paradiso, Amsterdam, 2017-10-02". */
function playlistTitle(concert: PlaylistConcert): string {
  const place = [concert.venue?.name, concert.venue?.city ?? concert.city].filter(Boolean).join(', ');
  return oneLine(`${concert.artist?.name ?? 'Concert'}${place ? ` at ${place}` : ''}, ${concert.concertDate}`);
}

/** Line breaks would start a new line of an M3U (a forged entry): every run of white space becomes one space. */
export const oneLine = (text: string) => text.replace(/\s+/g, ' ').trim();

/**
 * The download's names: an ASCII one for `filename=` (letters stripped of accents, anything
 * else a hyphen) and the full one for `filename*=UTF-8''`, both free of path separators and quotes.
 */
export function playlistFileNames(concert: Pick<PlaylistConcert, 'artist' | 'concertDate'>, format: PlaylistFormat) {
  const base = `${oneLine(concert.artist?.name ?? '') || 'concert'} ${concert.concertDate}`;
  const ascii =
    base
      .normalize('NFKD')
      .replace(/[\u0300-\u036f]/g, '')
      .replace(/[^A-Za-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 100) || 'concert';
  const unicode = base.replace(/[\p{Cc}/\\"]+/gu, '-').slice(0, 150);
  return { ascii: `${ascii}.${format}`, unicode: `${unicode}.${format}` };
}

/** `attachment; filename="…"; filename*=UTF-8''…` (RFC 6266 and RFC 8187). */
export function contentDisposition(names: { ascii: string; unicode: string }): string {
  const encoded = encodeURIComponent(names.unicode).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${names.ascii}"; filename*=UTF-8''${encoded}`;
}
