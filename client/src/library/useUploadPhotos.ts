import { useEffect, useRef, useState, type DragEvent } from 'react';
import { useStartScan, type StartedScan } from '../scans/useStartScan.js';
import { trpc } from '../trpc.js';
import { claimPendingScan, scanStarted, startUpload, useUploadState } from './upload.js';

/**
 * The upload in flight (kept outside React, see upload.ts) and what follows it: the libraries refreshed, the
 * scan of the uploaded photos started when asked for, the session re-checked after a 401.
 */
export function useUploadPhotos(onScanStarted: (scan: StartedScan) => void) {
  const upload = useUploadState();
  const utils = trpc.useUtils();
  const startScan = useStartScan((scan, sourceId) => {
    scanStarted(sourceId, scan.scanId);
    onScanStarted(scan);
  });
  const [scanAfter, setScanAfter] = useState(true);
  const uploading = upload.phase === 'uploading';

  const result = upload.phase === 'done' ? upload.result : null;
  // biome-ignore lint/correctness/useExhaustiveDependencies: once per finished upload; the query utils are stable.
  useEffect(() => {
    if (!result || result.accepted.length === 0) return;
    // The upload library may be new, and it has photos to scan.
    void utils.sources.list.invalidate();
    if (claimPendingScan()) startScan.mutate(result.sourceId);
  }, [result]);

  const status = upload.phase === 'error' ? upload.status : undefined;
  // biome-ignore lint/correctness/useExhaustiveDependencies: once per failed upload's status; the query utils are stable.
  useEffect(() => {
    if (status === 401) void utils.auth.me.invalidate();
  }, [status]);

  const send = (files: FileList | null | undefined) => {
    if (!files || files.length === 0 || uploading) return;
    startScan.reset();
    void startUpload(Array.from(files), { scan: scanAfter });
  };

  return { upload, uploading, startScan, scanAfter, setScanAfter, send };
}

/** Files dropped on an element: its drag handlers, and whether files are being dragged over it now. */
export function useFileDrop(onFiles: (files: FileList) => void, busy: boolean) {
  const [dragging, setDragging] = useState(false);
  const depth = useRef(0);
  const hasFiles = (event: DragEvent) => Array.from(event.dataTransfer.types).includes('Files');
  const dropHandlers = {
    onDragEnter: (event: DragEvent) => {
      if (!hasFiles(event)) return;
      event.preventDefault();
      depth.current += 1;
      setDragging(true);
    },
    onDragOver: (event: DragEvent) => {
      if (!hasFiles(event)) return;
      event.preventDefault();
      event.dataTransfer.dropEffect = busy ? 'none' : 'copy';
    },
    onDragLeave: () => {
      depth.current = Math.max(0, depth.current - 1);
      if (depth.current === 0) setDragging(false);
    },
    onDrop: (event: DragEvent) => {
      if (!hasFiles(event)) return;
      event.preventDefault();
      depth.current = 0;
      setDragging(false);
      onFiles(event.dataTransfer.files);
    },
  };
  return { dragging, dropHandlers };
}
