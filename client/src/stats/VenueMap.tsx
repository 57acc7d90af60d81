import { geoNaturalEarth1, geoPath } from 'd3-geo';
import type { FeatureCollection } from 'geojson';
import { feature } from 'topojson-client';
import type { GeometryCollection, Topology } from 'topojson-specification';
// Natural Earth 1:110m country outlines (world-atlas, ISC): bundled in the stats chunk, no tile server.
import world from 'world-atlas/countries-110m.json' with { type: 'json' };
import { placeLine } from '../concerts/format.js';
import { formatCount, plural } from '../lib/format.js';
import type { RouterOutputs } from '../trpc.js';

type MapVenue = RouterOutputs['stats']['summary']['map']['venues'][number];

const WIDTH = 960;
const HEIGHT = 500;
/** The radius of the most visited venue's circle; the others' areas are in proportion to their concerts. */
const MAX_RADIUS = 16;
const MIN_RADIUS = 2.5;

const topology = world as unknown as Topology<{ countries: GeometryCollection }>;
const countries = feature(topology, topology.objects.countries) as FeatureCollection;
const projection = geoNaturalEarth1().fitSize([WIDTH, HEIGHT], { type: 'Sphere' });
const path = geoPath(projection);
// Drawn once per page load: the outlines never change.
const COUNTRY_PATHS = countries.features.map((country) => path(country) ?? '').filter(Boolean);
const SPHERE_PATH = path({ type: 'Sphere' }) ?? '';

/** "Paradiso, Amsterdam: 3 concerts". */
export function venueLabel(venue: MapVenue): string {
  return `${[venue.name, venue.city].filter(Boolean).join(', ')}: ${plural(venue.count, 'concert')}`;
}

/** The venue's concerts: the timeline searched for its name. */
function venueHref(venue: MapVenue): string {
  return `#/?${new URLSearchParams({ q: venue.name }).toString()}`;
}

/** Every venue with a position as a circle on a world map, its area in proportion to the concerts there. */
export function VenueMap({ venues }: { venues: readonly MapVenue[] }) {
  const max = Math.max(1, ...venues.map((venue) => venue.count));
  // Biggest first, so the small circles are drawn on top and stay clickable.
  const circles = [...venues].sort((a, b) => b.count - a.count);
  return (
    <figure className="venue-map-figure">
      <svg className="venue-map" viewBox={`0 0 ${WIDTH} ${HEIGHT}`}>
        <title>{`Map of ${plural(venues.length, 'venue')}`}</title>
        <path className="venue-map__sphere" d={SPHERE_PATH} />
        <g className="venue-map__countries">
          {COUNTRY_PATHS.map((d, i) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: the outlines are a fixed list.
            <path key={i} d={d} />
          ))}
        </g>
        {circles.map((venue) => {
          const [x, y] = projection([venue.longitude, venue.latitude]) ?? [0, 0];
          const label = venueLabel(venue);
          return (
            <a key={venue.id} href={venueHref(venue)} aria-label={label}>
              <circle
                className="venue-map__venue"
                data-testid="venue-dot"
                cx={x}
                cy={y}
                r={Math.max(MIN_RADIUS, MAX_RADIUS * Math.sqrt(venue.count / max))}
              >
                <title>{label}</title>
              </circle>
            </a>
          );
        })}
      </svg>
      <details className="venue-map__list">
        <summary>The venues as a list</summary>
        <table className="stats-table">
          <thead>
            <tr>
              <th scope="col">Venue</th>
              <th scope="col">Place</th>
              <th scope="col">Concerts</th>
            </tr>
          </thead>
          <tbody>
            {venues.map((venue) => (
              <tr key={venue.id}>
                <th scope="row">
                  <a className="stats-link" href={venueHref(venue)}>
                    {venue.name}
                  </a>
                </th>
                <td>{placeLine(venue.city, venue.countryCode) ?? '—'}</td>
                <td>{formatCount(venue.count)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
      <figcaption className="muted stats-next">Each circle is a venue; its area grows with your concerts there.</figcaption>
    </figure>
  );
}
