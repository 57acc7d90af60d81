import { describe, expect, it } from 'vitest';
import { SHOW } from '../../tests/fixtures/playlist-show.js';
import { concertPlaylist } from './concert-playlist.js';
import { writeM3u } from './m3u-writer.js';

describe('writeM3u', () => {
  it('writes extended M3U: a header, the title, then an #EXTINF and a search link per live song', () => {
    const text = writeM3u(concertPlaylist(SHOW, 'deezer'));
    const lines = text.split('\n');
    expect(lines.at(-1)).toBe('');
    expect(lines.slice(0, 4)).toEqual([
      '#EXTM3U',
      '#PLAYLIST:Nick Cave & the Bad Seeds at Paradiso, Amsterdam, 2017-10-02',
      '#EXTINF:-1,Nick Cave & the Bad Seeds - Anthrocene',
      'https://www.deezer.com/search/Nick%20Cave%20%26%20the%20Bad%20Seeds%20Anthrocene',
    ]);
    // Every entry is a pair: #EXTINF, then a URI; no tape song, no blank line.
    const entries = lines.slice(2, -1);
    expect(entries).toHaveLength(8);
    for (let i = 0; i < entries.length; i += 2) {
      expect(entries[i]).toMatch(/^#EXTINF:-1,Nick Cave & the Bad Seeds - \S/);
      expect(() => new URL(entries[i + 1]!)).not.toThrow();
      expect(entries[i + 1]).toMatch(/^https:\/\/www\.deezer\.com\/search\/[^\s]+$/);
    }
    expect(text).not.toContain('Intro');
    expect(text).not.toContain('Outro');
    expect(entries.filter((line) => line.startsWith('#EXTINF')).map((line) => line.split(' - ')[1])).toEqual([
      'Anthrocene',
      'Jesus Alone',
      'Rock & Roll "Suicide" <live>',
      'Anthrocene',
    ]);
  });

  it('cannot be made to add an entry by a line break in a name', () => {
    const text = writeM3u(concertPlaylist({ ...SHOW, artist: null, setlist: [{ songs: [{ name: 'Song\r\nhttp://evil.example/' }] }] }, 'spotify'));
    expect(text.split('\n')).toEqual([
      '#EXTM3U',
      '#PLAYLIST:Concert at Paradiso, Amsterdam, 2017-10-02',
      '#EXTINF:-1,Song http://evil.example/',
      'https://open.spotify.com/search/Song%20http%3A%2F%2Fevil.example%2F',
      '',
    ]);
  });
});
