import type { ScanStage, ScanStatus } from '../../../shared/scan.schema.js';

export const STAGE_LABELS: Record<ScanStage, string> = {
  queued: 'Queued: waiting for a worker',
  listing: 'Listing your library',
  processing: 'Processing photos',
  deduplicating: 'Finding duplicates',
  matching: 'Finding venues and concerts',
  done: 'Done',
};

export const STATUS_LABELS: Record<ScanStatus, string> = {
  queued: 'Queued',
  running: 'Running',
  completed: 'Completed',
  failed: 'Failed',
  cancelled: 'Cancelled',
};
