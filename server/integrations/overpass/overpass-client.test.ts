import { describe, expect, it } from 'vitest';
import { OverpassClient } from './overpass-client.js';
import type { UpstreamFetch } from '../upstream-fetch.js';

/** An Overpass interpreter that answers every query with these elements. */
function clientAnswering(elements: unknown[]): OverpassClient {
  const upstreamFetch = (async () => new Response(JSON.stringify({ version: 0.6, elements }), { status: 200 })) as unknown as UpstreamFetch;
  return new OverpassClient({ url: 'http://overpass.test/api/interpreter', upstreamFetch });
}

describe('OpenStreetMap places', () => {
  it('come with names and cities normalised: no control, zero-width or bidi characters, NFC, one space', async () => {
    const client = clientAnswering([
      {
        type: 'node',
        id: 1,
        lat: 52.3622,
        lon: 4.8839,
        tags: { name: ' Para\u200Bdiso\u202E \u0007Noord\u202C', 'addr:city': 'Amster\u00ADdam\r\n' },
      },
      { type: 'node', id: 2, lat: 52.3623, lon: 4.884, tags: { name: 'Cafe\u0301 de\tKlos' } },
    ]);
    const places = await client.findVenuesAround(52.3622, 4.8839, 250);
    expect(places.map((place) => [place.name, place.city])).toEqual([
      ['Paradiso Noord', 'Amsterdam'],
      ['Caf\u00E9 de Klos', null],
    ]);
  });

  it('skip an element whose name is only invisible characters, and cut long names to the column by characters', async () => {
    const long = '\u{1F3B8}'.repeat(300);
    const client = clientAnswering([
      { type: 'node', id: 1, lat: 1, lon: 1, tags: { name: '\u200B\u2066\u2069' } },
      { type: 'node', id: 2, lat: 1, lon: 1, tags: { name: long } },
    ]);
    const places = await client.findVenuesAround(1, 1, 250);
    expect(places).toHaveLength(1);
    expect(Array.from(places[0]!.name)).toHaveLength(255);
    expect(places[0]!.name).toBe('\u{1F3B8}'.repeat(255));
  });
});
