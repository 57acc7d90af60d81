/**
 * Raster map tiles (OpenStreetMap's scheme: Web Mercator, 256 px tiles, z/x/y) for the
 * stats map when the operator configured a tile server: the zoom that shows every
 * venue, where each venue falls, and which tiles cover the view. Pure.
 */

export const TILE_SIZE = 256;
/** Web Mercator stops here: the map is square. */
const MAX_LATITUDE = 85.05112878;

export interface LonLat {
  longitude: number;
  latitude: number;
}

/** The point's position in pixels on the whole world's map at this zoom (2^zoom tiles across). */
export function worldPixel({ longitude, latitude }: LonLat, zoom: number): [number, number] {
  const size = TILE_SIZE * 2 ** zoom;
  const lat = (Math.max(-MAX_LATITUDE, Math.min(MAX_LATITUDE, latitude)) * Math.PI) / 180;
  const x = ((longitude + 180) / 360) * size;
  const y = ((1 - Math.log(Math.tan(lat) + 1 / Math.cos(lat)) / Math.PI) / 2) * size;
  return [x, y];
}

export interface PlacedTile {
  key: string;
  href: string;
  left: number;
  top: number;
}

export interface TileView {
  zoom: number;
  /** Where a point falls in the view (pixels from its top left corner). */
  place(point: LonLat): [number, number];
  tiles: PlacedTile[];
}

export interface TileViewOptions {
  width: number;
  height: number;
  /** Room kept around the outermost venues, in pixels. */
  padding: number;
  minZoom: number;
  /** One venue alone is shown at this zoom (a city's streets), not at the tiles' deepest. */
  maxZoom: number;
}

/** The tile's address: the template's {z}, {x} and {y} filled in. */
export function tileUrl(template: string, z: number, x: number, y: number): string {
  return template.replaceAll('{z}', String(z)).replaceAll('{x}', String(x)).replaceAll('{y}', String(y));
}

/** The deepest zoom at which every point fits in the view, centred on them, with the tiles that cover it. */
export function tileView(points: readonly LonLat[], template: string, options: TileViewOptions): TileView {
  const { width, height, padding, minZoom, maxZoom } = options;
  let zoom = maxZoom;
  for (; zoom > minZoom; zoom--) {
    const [left, top, right, bottom] = bounds(points, zoom);
    if (right - left <= width - 2 * padding && bottom - top <= height - 2 * padding) break;
  }
  const [left, top, right, bottom] = bounds(points, zoom);
  const originX = (left + right) / 2 - width / 2;
  const originY = (top + bottom) / 2 - height / 2;
  const across = 2 ** zoom;
  const tiles: PlacedTile[] = [];
  for (let ty = Math.floor(originY / TILE_SIZE); ty * TILE_SIZE < originY + height; ty++) {
    if (ty < 0 || ty >= across) continue;
    for (let tx = Math.floor(originX / TILE_SIZE); tx * TILE_SIZE < originX + width; tx++) {
      // East of 180° the world repeats.
      const wrapped = ((tx % across) + across) % across;
      tiles.push({
        key: `${zoom}/${tx}/${ty}`,
        href: tileUrl(template, zoom, wrapped, ty),
        left: tx * TILE_SIZE - originX,
        top: ty * TILE_SIZE - originY,
      });
    }
  }
  return {
    zoom,
    place(point) {
      const [x, y] = worldPixel(point, zoom);
      return [x - originX, y - originY];
    },
    tiles,
  };
}

function bounds(points: readonly LonLat[], zoom: number): [number, number, number, number] {
  const pixels = points.map((point) => worldPixel(point, zoom));
  const xs = pixels.map(([x]) => x);
  const ys = pixels.map(([, y]) => y);
  return [Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys)];
}
