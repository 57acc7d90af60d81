import { useSyncExternalStore } from 'react';
import { limitMessage } from '../lib/errors.js';
import { onSessionEnd } from '../lib/session-events.js';

/** What POST /api/uploads answers (server/services/upload.service.ts). */
export interface UploadResult {
  sourceId: number;
  accepted: Array<{ name: string; fileId: string }>;
  refused: Array<{ name: string; reason: string }>;
}

export class UploadError extends Error {
  constructor(
    message: string,
    readonly retryable: boolean,
    readonly status?: number,
  ) {
    super(message);
    this.name = 'UploadError';
  }
}

// The same rule as the server's (server/services/upload.service.ts): a photo type or a photo extension.
const PHOTO_TYPES = /^image\/(jpeg|png|webp|heic|heif|avif|tiff)$/i;
const PHOTO_EXTENSIONS = /\.(jpe?g|png|webp|heic|heif|avif|tiff?)$/i;

export function isPhotoFile(file: File): boolean {
  return PHOTO_TYPES.test(file.type) || PHOTO_EXTENSIONS.test(file.name);
}

function isUploadResult(body: unknown): body is UploadResult {
  if (typeof body !== 'object' || body === null) return false;
  const value = body as Partial<UploadResult>;
  return typeof value.sourceId === 'number' && Array.isArray(value.accepted) && Array.isArray(value.refused);
}

function errorOf(body: unknown): { message?: string; code?: string } {
  const error = (body as { error?: { message?: unknown; code?: unknown } } | null)?.error;
  return {
    message: typeof error?.message === 'string' ? error.message : undefined,
    code: typeof error?.code === 'string' ? error.code : undefined,
  };
}

/**
 * POSTs the photos as multipart with XMLHttpRequest, which (unlike fetch) reports
 * upload progress. Same contract as
 * fetch('/api/uploads', { method: 'POST', body, headers: { 'x-requested-with': 'concert-history' }, credentials: 'same-origin' }).
 */
export function sendPhotos(files: readonly File[], onProgress: (loaded: number, total: number) => void, signal: AbortSignal): Promise<UploadResult> {
  return new Promise((resolve, reject) => {
    const body = new FormData();
    for (const file of files) body.append('photos', file, file.name);

    const xhr = new XMLHttpRequest();
    // Same origin: the session cookie goes along (fetch's credentials: 'same-origin').
    xhr.open('POST', '/api/uploads');
    xhr.setRequestHeader('x-requested-with', 'concert-history');
    xhr.setRequestHeader('accept', 'application/json');
    xhr.upload.onprogress = (event) => {
      if (event.lengthComputable) onProgress(event.loaded, event.total);
    };
    xhr.onload = () => {
      let json: unknown = null;
      try {
        json = JSON.parse(xhr.responseText);
      } catch {
        // Not JSON, e.g. a proxy's error page: handled below.
      }
      if (xhr.status >= 200 && xhr.status < 300 && isUploadResult(json)) return resolve(json);
      const status = xhr.status;
      const error = errorOf(json);
      let message =
        error.message ??
        (status === 413
          ? 'The upload is too large for the server. Try fewer photos at a time.'
          : `The upload failed (HTTP ${status}). Please try again.`);
      // The hourly limit, in words and in the user's time: "… You can upload more photos at 14:32."
      if (status === 429) message = limitMessage(message, Number(xhr.getResponseHeader('retry-after')) || null, 'upload');
      // A full quota stays full, and the hourly limit says when it passes; another upload still running soon ends.
      const retryable = error.code === 'UPLOAD_QUOTA_EXCEEDED' ? false : status >= 500 || [408, 409, 413].includes(status);
      reject(new UploadError(message, retryable, status));
    };
    xhr.onerror = () => reject(new UploadError('Could not reach the server. Check your connection and try again.', true));
    xhr.onabort = () => reject(new DOMException('Upload cancelled', 'AbortError'));
    signal.addEventListener('abort', () => xhr.abort(), { once: true });
    xhr.send(body);
  });
}

/* ---------- One upload at a time, kept outside React so it survives switching views ---------- */

export type UploadState =
  | { phase: 'idle' }
  | { phase: 'uploading'; fileCount: number; loaded: number; total: number }
  | {
      phase: 'done';
      result: UploadResult;
      /** Files never sent: not photos. */
      skipped: Array<{ name: string; reason: string }>;
      /** Start a scan of result.sourceId; cleared once the view has started it. */
      scanPending: boolean;
      /** The scan started for these photos, once there is one. */
      scanId: number | null;
    }
  | { phase: 'error'; message: string; retryable: boolean; status?: number; files: File[]; scan: boolean };

let state: UploadState = { phase: 'idle' };
let controller: AbortController | null = null;
const listeners = new Set<() => void>();

function setState(next: UploadState) {
  state = next;
  for (const listener of listeners) listener();
}

function subscribe(listener: () => void) {
  listeners.add(listener);
  return () => void listeners.delete(listener);
}

const snapshot = () => state;

export function useUploadState(): UploadState {
  return useSyncExternalStore(subscribe, snapshot);
}

export async function startUpload(files: readonly File[], { scan }: { scan: boolean }) {
  if (state.phase === 'uploading') return;
  const photos = files.filter(isPhotoFile);
  const skipped = files
    .filter((file) => !isPhotoFile(file))
    .map((file) => ({ name: file.name, reason: 'Not a photo (JPEG, PNG, WebP, HEIC, AVIF or TIFF)' }));
  if (photos.length === 0) {
    setState({ phase: 'done', result: { sourceId: 0, accepted: [], refused: [] }, skipped, scanPending: false, scanId: null });
    return;
  }
  const total = photos.reduce((sum, file) => sum + file.size, 0);
  controller = new AbortController();
  const { signal } = controller;
  setState({ phase: 'uploading', fileCount: photos.length, loaded: 0, total });
  try {
    const result = await sendPhotos(
      photos,
      (loaded, bytes) => {
        if (!signal.aborted) setState({ phase: 'uploading', fileCount: photos.length, loaded, total: bytes });
      },
      signal,
    );
    if (signal.aborted) return;
    setState({ phase: 'done', result, skipped, scanPending: scan && result.accepted.length > 0, scanId: null });
  } catch (error) {
    if (signal.aborted) return;
    const upload = error instanceof UploadError ? error : new UploadError('The upload failed. Please try again.', true);
    setState({ phase: 'error', message: upload.message, retryable: upload.retryable, status: upload.status, files: [...files], scan });
  } finally {
    if (controller?.signal === signal) controller = null;
  }
}

export function cancelUpload() {
  controller?.abort();
  controller = null;
  setState({ phase: 'idle' });
}

/** True once per finished upload that asked for a scan: the caller starts it. */
export function claimPendingScan(): boolean {
  if (state.phase !== 'done' || !state.scanPending) return false;
  setState({ ...state, scanPending: false });
  return true;
}

export function scanStarted(sourceId: number, scanId: number) {
  if (state.phase === 'done' && state.result.sourceId === sourceId) setState({ ...state, scanId });
}

export function dismissUpload() {
  if (state.phase !== 'uploading') setState({ phase: 'idle' });
}

onSessionEnd(cancelUpload);

// Leaving the page would lose an upload in flight: let the browser ask first.
window.addEventListener('beforeunload', (event) => {
  if (state.phase === 'uploading') event.preventDefault();
});
