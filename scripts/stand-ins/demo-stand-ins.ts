/**
 * The local stand-ins for setlist.fm and OpenStreetMap's Overpass API, serving the
 * demo library's venues and shows, and the environment that points the app at them.
 * Neither real service can be reached from here; these speak their real protocols.
 */
import type { DemoLibraryManifest } from '../demo-library/manifest.js';
import { startOverpassStandIn } from './overpass-stand-in.js';
import { startSetlistFmStandIn } from './setlistfm-stand-in.js';

export const DEMO_SETLISTFM_API_KEY = 'local-stand-in-key';

/** Evenings of the demo left for the newcomer to review, on purpose: setlist.fm does not know them. */
export const DEMO_EVENINGS_FOR_REVIEW = 2;

/**
 * The demo's last shows (by date order in the plan: the most recent ones), which its setlist.fm stand-in does
 * not know, so the first scan leaves them in the review inbox; a library of two shows or fewer has all matched.
 */
export function demoEveningsForReview(manifest: DemoLibraryManifest): string[] {
  if (manifest.concerts.length <= DEMO_EVENINGS_FOR_REVIEW) return [];
  return manifest.concerts.slice(-DEMO_EVENINGS_FOR_REVIEW).map((concert) => concert.id);
}

export interface DemoStandInsOptions {
  setlistfmPort?: number;
  overpassPort?: number;
  host?: string;
}

export async function startDemoStandIns(manifest: DemoLibraryManifest, options: DemoStandInsOptions = {}) {
  const host = options.host ?? '127.0.0.1';
  const unknownConcerts = demoEveningsForReview(manifest);
  const setlistfm = await startSetlistFmStandIn({
    manifest,
    apiKey: DEMO_SETLISTFM_API_KEY,
    host,
    port: options.setlistfmPort ?? 0,
    unknownConcerts,
  });
  const overpass = await startOverpassStandIn({ host, port: options.overpassPort ?? 0 });
  return {
    /** The demo's evenings the stand-in does not know: they wait in the review inbox. */
    eveningsForReview: manifest.concerts.filter((concert) => unknownConcerts.includes(concert.id)),
    env: { SETLISTFM_API_URL: setlistfm.url, SETLISTFM_API_KEY: DEMO_SETLISTFM_API_KEY, OVERPASS_URL: overpass.url },
    async close() {
      await Promise.all([setlistfm.close(), overpass.close()]);
    },
  };
}
