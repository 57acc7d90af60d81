import { describe, expect, it } from 'vitest';
import { isStreamingService, songSearchUrl, STREAMING_SERVICES } from './streaming.js';

describe('songSearchUrl', () => {
  it('searches each service for "artist song"', () => {
    expect(STREAMING_SERVICES.map((service) => songSearchUrl(service, 'Nick Cave', 'Jesus Alone'))).toEqual([
      'https://open.spotify.com/search/Nick%20Cave%20Jesus%20Alone',
      'https://music.apple.com/search?term=Nick%20Cave%20Jesus%20Alone',
      'https://music.youtube.com/search?q=Nick%20Cave%20Jesus%20Alone',
      'https://www.deezer.com/search/Nick%20Cave%20Jesus%20Alone',
      'https://listen.tidal.com/search?q=Nick%20Cave%20Jesus%20Alone',
    ]);
  });

  it('encodes what would end the path or the query, and letters beyond ASCII', () => {
    const url = songSearchUrl('spotify', 'AC/DC', 'Rock & Roll? #1 Déjà');
    expect(url).toBe('https://open.spotify.com/search/AC%2FDC%20Rock%20%26%20Roll%3F%20%231%20D%C3%A9j%C3%A0');
    expect(decodeURIComponent(new URL(url).pathname.split('/').at(-1)!)).toBe('AC/DC Rock & Roll? #1 Déjà');
    expect(new URL(songSearchUrl('tidal', 'A&B', 'x=y')).searchParams.get('q')).toBe('A&B x=y');
  });

  it('searches the song alone when the artist is unknown, with its spaces tidied', () => {
    expect(songSearchUrl('deezer', null, '  Intro \n Song ')).toBe('https://www.deezer.com/search/Intro%20Song');
  });

  it('knows its services and nothing else', () => {
    expect(isStreamingService('tidal')).toBe(true);
    expect(isStreamingService('napster')).toBe(false);
    expect(isStreamingService(undefined)).toBe(false);
  });
});
