import { useId } from 'react';
import { playlistPath } from '../../../shared/playlist.js';
import { isStreamingService, STREAMING_SERVICE_NAMES, STREAMING_SERVICES, type StreamingService } from '../../../shared/streaming.js';

/** The night's soundtrack: which service the songs are looked up on, and the setlist as a playlist file. */
export function Soundtrack({
  concertId,
  service,
  onServiceChange,
}: {
  concertId: number;
  service: StreamingService;
  onServiceChange: (service: StreamingService) => void;
}) {
  const selectId = useId();
  return (
    <div className="soundtrack" data-testid="soundtrack">
      <div className="field soundtrack__service">
        <label className="field__label" htmlFor={selectId}>
          Listen on
        </label>
        <select
          id={selectId}
          className="field__input"
          value={service}
          onChange={(event) => isStreamingService(event.target.value) && onServiceChange(event.target.value)}
        >
          {STREAMING_SERVICES.map((option) => (
            <option key={option} value={option}>
              {STREAMING_SERVICE_NAMES[option]}
            </option>
          ))}
        </select>
      </div>
      <div className="soundtrack__downloads">
        <a className="button button--secondary" href={playlistPath(concertId, 'xspf', service)} download data-testid="playlist-xspf">
          Playlist (XSPF)
        </a>
        <a className="button button--secondary" href={playlistPath(concertId, 'm3u', service)} download data-testid="playlist-m3u">
          Playlist (M3U)
        </a>
      </div>
    </div>
  );
}
