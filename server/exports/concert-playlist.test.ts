import { describe, expect, it } from 'vitest';
import { MBID, SHOW } from '../../tests/fixtures/playlist-show.js';
import { concertPlaylist, contentDisposition, playlistFileNames } from './concert-playlist.js';

describe('concertPlaylist', () => {
  it('lists the live songs in order, tape songs and nameless ones left out, a song played twice twice', () => {
    const playlist = concertPlaylist(SHOW, 'spotify');
    expect(playlist.title).toBe('Nick Cave & the Bad Seeds at Paradiso, Amsterdam, 2017-10-02');
    expect(playlist.tracks.map((track) => track.title)).toEqual(['Anthrocene', 'Jesus Alone', 'Rock & Roll "Suicide" <live>', 'Anthrocene']);
    expect(playlist.tracks[2]).toEqual({
      title: 'Rock & Roll "Suicide" <live>',
      creator: 'Nick Cave & the Bad Seeds',
      searchUrl: 'https://open.spotify.com/search/Nick%20Cave%20%26%20the%20Bad%20Seeds%20Rock%20%26%20Roll%20%22Suicide%22%20%3Clive%3E',
      artistMbid: MBID,
      annotation: 'cover of David Bowie; first time since 2013',
    });
    expect(playlist.tracks[3]!.annotation).toBe('Encore');
  });

  it('keeps a song name with a line break on one line, and works without an artist', () => {
    const playlist = concertPlaylist({ ...SHOW, artist: null, venue: null, setlist: [{ songs: [{ name: 'Two\nlines' }] }] }, 'tidal');
    expect(playlist.title).toBe('Concert at Amsterdam, 2017-10-02');
    expect(playlist.tracks).toEqual([
      { title: 'Two lines', creator: null, searchUrl: 'https://listen.tidal.com/search?q=Two%20lines', artistMbid: null, annotation: null },
    ]);
  });
});

describe('playlist file names', () => {
  it('are ASCII for filename= and whole for filename*=', () => {
    const names = playlistFileNames({ artist: { name: 'Björk / "Live"', mbid: null }, concertDate: '2019-06-21' }, 'xspf');
    expect(names).toEqual({ ascii: 'Bjork-Live-2019-06-21.xspf', unicode: 'Björk - -Live- 2019-06-21.xspf' });
    expect(contentDisposition(names)).toBe(
      `attachment; filename="Bjork-Live-2019-06-21.xspf"; filename*=UTF-8''Bj%C3%B6rk%20-%20-Live-%202019-06-21.xspf`,
    );
  });

  it('fall back to "concert" when nothing of the name is left', () => {
    expect(playlistFileNames({ artist: { name: '東京事変', mbid: null }, concertDate: '2020-02-29' }, 'm3u').ascii).toBe('2020-02-29.m3u');
    expect(playlistFileNames({ artist: null, concertDate: '2020-02-29' }, 'm3u').ascii).toBe('concert-2020-02-29.m3u');
  });
});
