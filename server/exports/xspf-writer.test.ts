import { parse, validate } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { MBID, SHOW } from '../../tests/fixtures/playlist-show.js';
import { concertPlaylist } from './concert-playlist.js';
import { escapeXml, writeXspf } from './xspf-writer.js';

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
const decode = (text: string) => text.replace(/&(amp|lt|gt|quot|apos);/g, (_, name: string) => ENTITIES[name]!);

/** Well-formed or throws; then the tree, text decoded, repeated elements always arrays. */
function parseXspf(xml: string) {
  const valid = validate(xml);
  if (valid !== true) throw new Error(`not well-formed: ${JSON.stringify(valid.err)}`);
  return parse(xml, {
    ignoreAttributes: false,
    attributeNamePrefix: '@',
    parseNodeValue: false,
    parseAttributeValue: false,
    tagValueProcessor: decode,
    attrValueProcessor: decode,
  });
}

/** fast-xml-parser gives one element as itself and several as an array. */
const list = <T>(value: T | T[] | undefined): T[] => (value === undefined ? [] : Array.isArray(value) ? value : [value]);

describe('writeXspf', () => {
  it('writes a well-formed XSPF 1 playlist with the live songs in order and the artist MBID on each', () => {
    const xml = writeXspf(concertPlaylist(SHOW, 'apple-music'));
    expect(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n')).toBe(true);
    const { playlist } = parseXspf(xml);
    expect(playlist['@xmlns']).toBe('http://xspf.org/ns/0/');
    expect(playlist['@version']).toBe('1');
    expect(playlist.title).toBe('Nick Cave & the Bad Seeds at Paradiso, Amsterdam, 2017-10-02');
    expect(playlist.creator).toBe('Nick Cave & the Bad Seeds');
    expect(playlist.info).toBe(SHOW.setlistfmUrl);

    const tracks = list(playlist.trackList.track);
    expect(tracks.map((track: { title: string }) => track.title)).toEqual([
      'Anthrocene',
      'Jesus Alone',
      'Rock & Roll "Suicide" <live>',
      'Anthrocene',
    ]);
    expect(tracks.map((track: { trackNum: string }) => track.trackNum)).toEqual(['1', '2', '3', '4']);
    expect(tracks[2]).toEqual({
      title: 'Rock & Roll "Suicide" <live>',
      creator: 'Nick Cave & the Bad Seeds',
      annotation: 'cover of David Bowie; first time since 2013',
      info: 'https://music.apple.com/search?term=Nick%20Cave%20%26%20the%20Bad%20Seeds%20Rock%20%26%20Roll%20%22Suicide%22%20%3Clive%3E',
      trackNum: '3',
      link: { '@rel': 'https://musicbrainz.org/doc/Artist', '#text': `https://musicbrainz.org/artist/${MBID}` },
      meta: { '@rel': 'https://musicbrainz.org/doc/Artist', '#text': MBID },
    });
    expect(xml).not.toContain('Intro');
    expect(xml).not.toContain('Outro');
    // The raw text has every markup character escaped.
    expect(xml).toContain('<title>Rock &amp; Roll &quot;Suicide&quot; &lt;live&gt;</title>');
  });

  it('leaves the MBID elements out when the artist has none, and the artist when unknown', () => {
    const { playlist } = parseXspf(writeXspf(concertPlaylist({ ...SHOW, artist: null, setlistfmUrl: null }, 'spotify')));
    expect(playlist.creator).toBeUndefined();
    expect(playlist.info).toBeUndefined();
    for (const track of list<Record<string, unknown>>(playlist.trackList.track)) {
      expect(track.link).toBeUndefined();
      expect(track.meta).toBeUndefined();
      expect(track.creator).toBeUndefined();
    }
  });

  it('writes an empty trackList for a setlist of tape songs only', () => {
    const xml = writeXspf(concertPlaylist({ ...SHOW, setlist: [{ songs: [{ name: 'Intro', tape: true }] }] }, 'spotify'));
    expect(xml).toContain('  <trackList>\n  </trackList>');
    expect(parseXspf(xml).playlist.trackList).toBeDefined();
  });
});

describe('escapeXml', () => {
  it('escapes the markup characters and drops what XML 1.0 cannot hold', () => {
    expect(escapeXml(`a&b<c>d"e'f`)).toBe('a&amp;b&lt;c&gt;d&quot;e&apos;f');
    expect(escapeXml('bell\u0007 tab\t ok \uD83C\uDFB8 lone \uD800')).toBe('bell tab\t ok \uD83C\uDFB8 lone ');
  });
});
