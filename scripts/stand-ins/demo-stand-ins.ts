/**
 * The local stand-ins for setlist.fm and OpenStreetMap's Overpass API, serving the
 * demo library's venues and shows, and the environment that points the app at them.
 * Neither real service can be reached from here; these speak their real protocols.
 */
import type { DemoLibraryManifest } from '../demo-library/manifest.js';
import { startOverpassStandIn } from './overpass-stand-in.js';
import { startSetlistFmStandIn } from './setlistfm-stand-in.js';

export const DEMO_SETLISTFM_API_KEY = 'local-stand-in-key';

export interface DemoStandInsOptions {
  setlistfmPort?: number;
  overpassPort?: number;
  host?: string;
}

export async function startDemoStandIns(manifest: DemoLibraryManifest, options: DemoStandInsOptions = {}) {
  const host = options.host ?? '127.0.0.1';
  const setlistfm = await startSetlistFmStandIn({ manifest, apiKey: DEMO_SETLISTFM_API_KEY, host, port: options.setlistfmPort ?? 0 });
  const overpass = await startOverpassStandIn({ host, port: options.overpassPort ?? 0 });
  return {
    env: { SETLISTFM_API_URL: setlistfm.url, SETLISTFM_API_KEY: DEMO_SETLISTFM_API_KEY, OVERPASS_URL: overpass.url },
    async close() {
      await Promise.all([setlistfm.close(), overpass.close()]);
    },
  };
}
