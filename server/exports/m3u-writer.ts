/**
 * Extended M3U (`#EXTM3U`, `#PLAYLIST:`, `#EXTINF:`) in UTF-8. Each entry's URI is the
 * song's streaming search link: a setlist names songs, it has no files to play.
 */
import { oneLine, type Playlist } from './concert-playlist.js';

export const M3U_CONTENT_TYPE = 'audio/x-mpegurl; charset=utf-8';

export function writeM3u(playlist: Playlist): string {
  const lines = ['#EXTM3U', `#PLAYLIST:${oneLine(playlist.title)}`];
  for (const track of playlist.tracks) {
    // Unknown duration: -1.
    lines.push(`#EXTINF:-1,${oneLine(track.creator ? `${track.creator} - ${track.title}` : track.title)}`, track.searchUrl);
  }
  return `${lines.join('\n')}\n`;
}
