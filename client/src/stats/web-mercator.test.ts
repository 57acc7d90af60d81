import { describe, expect, it } from 'vitest';
import { tileUrl, tileView, worldPixel } from './web-mercator.js';

const PARADISO = { latitude: 52.3622, longitude: 4.8838 };
const BRIXTON = { latitude: 51.4652, longitude: -0.1147 };
const FILLMORE = { latitude: 37.784, longitude: -122.433 };
const VIEW = { width: 960, height: 500, padding: 40, minZoom: 1, maxZoom: 12 };

describe('Web Mercator tiles', () => {
  it('places points as OpenStreetMap’s tiles do', () => {
    // Paradiso is in tile 8/131/84 (x = floor((4.88 + 180) / 360 * 256), y from the Mercator formula).
    const [x, y] = worldPixel(PARADISO, 8);
    expect([Math.floor(x / 256), Math.floor(y / 256)]).toEqual([131, 84]);
    expect(worldPixel({ latitude: 0, longitude: 0 }, 0)).toEqual([128, 128]);
    expect(worldPixel({ latitude: 89.9, longitude: 180 }, 0)[1]).toBeCloseTo(0, 6);
  });

  it('fills the template', () => {
    expect(tileUrl('https://tiles.example/{z}/{x}/{y}.png?k={z}', 3, 4, 5)).toBe('https://tiles.example/3/4/5.png?k=3');
  });

  it('picks the deepest zoom that shows every venue inside the padding, and covers the view with tiles', () => {
    const view = tileView([PARADISO, BRIXTON], 'https://t/{z}/{x}/{y}.png', VIEW);
    // 380 km west to east: zoom 7 spans ~720 px of the 880 available; zoom 8 would need ~1,440.
    expect(view.zoom).toBe(7);
    for (const point of [PARADISO, BRIXTON]) {
      const [x, y] = view.place(point);
      expect(x).toBeGreaterThanOrEqual(40);
      expect(x).toBeLessThanOrEqual(920);
      expect(y).toBeGreaterThanOrEqual(40);
      expect(y).toBeLessThanOrEqual(460);
    }
    // Every pixel of the view is under a tile.
    const covers = (x: number, y: number) => view.tiles.some((t) => x >= t.left && x < t.left + 256 && y >= t.top && y < t.top + 256);
    for (const [x, y] of [
      [0, 0],
      [959, 0],
      [0, 499],
      [959, 499],
      [480, 250],
    ] as const)
      expect(covers(x, y)).toBe(true);
  });

  it('zooms out for venues an ocean apart, and shows one venue alone at the city zoom', () => {
    // 127° of longitude at zoom 3 (2,048 px round the world) is ~724 px: it fits; at zoom 4 it would not.
    expect(tileView([PARADISO, FILLMORE], 'https://t/{z}/{x}/{y}.png', VIEW).zoom).toBe(3);
    const alone = tileView([PARADISO], 'https://t/{z}/{x}/{y}.png', VIEW);
    expect(alone.zoom).toBe(12);
    expect(alone.place(PARADISO)).toEqual([480, 250]);
  });

  it('wraps tile numbers east of 180° and leaves out rows beyond the poles', () => {
    const view = tileView([{ latitude: 80, longitude: 179 }], 'https://t/{z}/{x}/{y}.png', { ...VIEW, maxZoom: 1 });
    const hrefs = view.tiles.map((t) => t.href);
    expect(hrefs.every((href) => /\/1\/[01]\/[01]\.png$/.test(href))).toBe(true);
    expect(view.tiles.every((t) => !t.key.includes('/-1'))).toBe(true);
  });
});
