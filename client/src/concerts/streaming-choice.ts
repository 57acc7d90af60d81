import { useCallback, useState } from 'react';
import { DEFAULT_STREAMING_SERVICE, isStreamingService, type StreamingService } from '../../../shared/streaming.js';

/** Per browser, not per account: which service someone listens on depends on the device as much as the person. */
const STORAGE_KEY = 'concert-history.streaming-service';

function stored(): StreamingService {
  try {
    const value = window.localStorage.getItem(STORAGE_KEY);
    return isStreamingService(value) ? value : DEFAULT_STREAMING_SERVICE;
  } catch {
    // Storage refused (a locked-down or private window): the default, every time.
    return DEFAULT_STREAMING_SERVICE;
  }
}

/** The streaming service the setlist's search links and playlists point at, remembered in localStorage. */
export function useStreamingService(): [StreamingService, (service: StreamingService) => void] {
  const [service, setService] = useState(stored);
  const choose = useCallback((next: StreamingService) => {
    setService(next);
    try {
      window.localStorage.setItem(STORAGE_KEY, next);
    } catch {
      // Not remembered, still used on this page.
    }
  }, []);
  return [service, choose];
}
