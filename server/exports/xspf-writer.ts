/**
 * XSPF version 1 (https://xspf.org/spec), elements in the spec's order. A track has
 * no <location>: XSPF players resolve a track by creator and title, and a search page
 * is not a playable resource, so the search link goes in <info>. Nor has it an
 * <identifier>: that names the track itself, and an artist's MBID on every track
 * would make them all "the same" to a player. The artist's MBID goes in <link> (its
 * MusicBrainz page) and <meta> (the bare id) instead.
 */
import type { Playlist, PlaylistTrack } from './concert-playlist.js';

export const XSPF_CONTENT_TYPE = 'application/xspf+xml; charset=utf-8';
export const XSPF_NAMESPACE = 'http://xspf.org/ns/0/';
/** The rel of a track's artist MBID: a URI, as XSPF asks of <link> and <meta> rels. */
export const MUSICBRAINZ_ARTIST_REL = 'https://musicbrainz.org/doc/Artist';
export const musicBrainzArtistUrl = (mbid: string) => `https://musicbrainz.org/artist/${mbid}`;

export function writeXspf(playlist: Playlist): string {
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<playlist version="1" xmlns="${XSPF_NAMESPACE}">`,
    element('  ', 'title', playlist.title),
    element('  ', 'creator', playlist.creator),
    element('  ', 'annotation', 'Setlist from setlist.fm'),
    element('  ', 'info', playlist.info),
    ...artistLinks('  ', playlist.artistMbid),
  ];
  lines.push('  <trackList>', ...playlist.tracks.flatMap((track, i) => trackLines(track, i + 1)), '  </trackList>', '</playlist>');
  return `${lines.filter((line) => line !== null).join('\n')}\n`;
}

function trackLines(track: PlaylistTrack, trackNum: number): Array<string | null> {
  const pad = '      ';
  return [
    '    <track>',
    element(pad, 'title', track.title),
    element(pad, 'creator', track.creator),
    element(pad, 'annotation', track.annotation),
    element(pad, 'info', track.searchUrl),
    element(pad, 'trackNum', String(trackNum)),
    ...artistLinks(pad, track.artistMbid),
    '    </track>',
  ];
}

function artistLinks(pad: string, mbid: string | null): Array<string | null> {
  if (!mbid) return [];
  return [
    `${pad}<link rel="${MUSICBRAINZ_ARTIST_REL}">${escapeXml(musicBrainzArtistUrl(mbid))}</link>`,
    `${pad}<meta rel="${MUSICBRAINZ_ARTIST_REL}">${escapeXml(mbid)}</meta>`,
  ];
}

function element(pad: string, name: string, text: string | null): string | null {
  return text ? `${pad}<${name}>${escapeXml(text)}</${name}>` : null;
}

/** Text and attribute values: the five markup characters escaped, characters XML 1.0 cannot hold dropped. */
export function escapeXml(text: string): string {
  return (
    text
      // biome-ignore lint/suspicious/noControlCharactersInRegex: these are exactly the characters XML 1.0 forbids.
      .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '')
      .replace(/&/g, '&amp;')
      .replace(/</g, '&lt;')
      .replace(/>/g, '&gt;')
      .replace(/"/g, '&quot;')
      .replace(/'/g, '&apos;')
  );
}
