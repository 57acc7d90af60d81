import { geoNaturalEarth1, geoPath } from 'd3-geo';
import type { FeatureCollection } from 'geojson';
import { feature } from 'topojson-client';
import type { GeometryCollection, Topology } from 'topojson-specification';
// Natural Earth 1:110m country outlines (world-atlas, ISC): bundled in the stats chunk, no tile server.
import world from 'world-atlas/countries-110m.json' with { type: 'json' };
import { placeLine } from '../concerts/format.js';
import { formatCount, plural } from '../lib/format.js';
import { hrefOf } from '../shell/route.js';
import type { RouterOutputs } from '../trpc.js';
import { tileView } from './web-mercator.js';

type MapVenue = RouterOutputs['stats']['summary']['map']['venues'][number];
type MapTiles = NonNullable<RouterOutputs['stats']['summary']['map']['tiles']>;

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

/** The venue's page: every show there. */
function venueHref(venue: MapVenue): string {
  return hrefOf({ view: 'venue', venueId: venue.id });
}

/** Tiles shown at most this deep, for one venue alone: its part of town. */
const TILE_MAX_ZOOM = 13;

/**
 * Every venue with a position as a circle on a world map, its area in proportion to
 * the concerts there: on the operator's raster tiles when configured, else on the
 * bundled country outlines (no tile server needed).
 */
export function VenueMap({ venues, tiles }: { venues: readonly MapVenue[]; tiles: MapTiles | null }) {
  const max = Math.max(1, ...venues.map((venue) => venue.count));
  // Biggest first, so the small circles are drawn on top and stay clickable.
  const circles = [...venues].sort((a, b) => b.count - a.count);
  const tiled =
    tiles && venues.length
      ? tileView(venues, tiles.urlTemplate, { width: WIDTH, height: HEIGHT, padding: MAX_RADIUS * 2, minZoom: 1, maxZoom: TILE_MAX_ZOOM })
      : null;
  const place = (venue: MapVenue) => (tiled ? tiled.place(venue) : (projection([venue.longitude, venue.latitude]) ?? [0, 0]));
  return (
    <figure className="venue-map-figure">
      <svg className={tiled ? 'venue-map venue-map--tiles' : 'venue-map'} viewBox={`0 0 ${WIDTH} ${HEIGHT}`}>
        <title>{`Map of ${plural(venues.length, 'venue')}`}</title>
        {tiled ? (
          <g className="venue-map__tiles" data-testid="map-tiles">
            {tiled.tiles.map((tile) => (
              <image key={tile.key} href={tile.href} x={tile.left} y={tile.top} width={256} height={256} />
            ))}
          </g>
        ) : (
          <>
            <path className="venue-map__sphere" d={SPHERE_PATH} />
            <g className="venue-map__countries">
              {COUNTRY_PATHS.map((d, i) => (
                // biome-ignore lint/suspicious/noArrayIndexKey: the outlines are a fixed list.
                <path key={i} d={d} />
              ))}
            </g>
          </>
        )}
        {circles.map((venue) => {
          const [x, y] = place(venue);
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
      <figcaption className="muted stats-next">
        Each circle is a venue; its area grows with your concerts there.
        {tiles && <span className="venue-map__attribution"> Map tiles: {tiles.attribution}</span>}
      </figcaption>
    </figure>
  );
}
