import { useId } from 'react';
import { describeError } from '../lib/errors.js';
import { formatBytes, formatCount, plural } from '../lib/format.js';
import type { StartedScan } from '../scans/useStartScan.js';
import { ErrorState } from '../ui/ErrorState.js';
import { hrefOf } from '../shell/route.js';
import { cancelUpload, dismissUpload, startUpload } from './upload.js';
import { useFileDrop, useUploadPhotos } from './useUploadPhotos.js';

/** Photos from this device: a file picker and a drop zone, POSTed to /api/uploads. */
export function UploadPhotos({ onScanStarted }: { onScanStarted: (scan: StartedScan) => void }) {
  const headingId = useId();
  const hintId = useId();
  const { upload, uploading, startScan, scanAfter, setScanAfter, send } = useUploadPhotos(onScanStarted);
  const { dragging, dropHandlers } = useFileDrop(send, uploading);

  return (
    <section className={dragging ? 'card add-card upload is-dragging' : 'card add-card upload'} aria-labelledby={headingId} {...dropHandlers}>
      <h3 className="card__title" id={headingId}>
        From this device
      </h3>
      <p className="muted" id={hintId}>
        Choose photos and videos, or drop them here. JPEG, PNG, WebP, HEIC, AVIF and TIFF photos and MOV and MP4 videos are read.
      </p>

      <div className="upload__controls">
        <label className={uploading ? 'button button--primary file-button is-disabled' : 'button button--primary file-button'}>
          <input
            className="file-button__input"
            type="file"
            multiple
            // HEIC and MOV by extension too: some browsers give them no MIME type.
            accept="image/*,video/mp4,video/quicktime,.heic,.heif,.mov,.mp4"
            aria-label="Upload photos"
            aria-describedby={hintId}
            disabled={uploading}
            onChange={(event) => {
              send(event.currentTarget.files);
              // Choosing the same photos again must fire another change.
              event.currentTarget.value = '';
            }}
          />
          <span aria-hidden="true">Upload photos</span>
        </label>
        <label className="checkbox">
          <input type="checkbox" checked={scanAfter} onChange={(event) => setScanAfter(event.target.checked)} disabled={uploading} />
          Scan them once uploaded
        </label>
      </div>

      {dragging && (
        <p className="upload__drop-hint" aria-hidden="true">
          Drop to upload
        </p>
      )}

      {upload.phase === 'uploading' && <UploadProgress loaded={upload.loaded} total={upload.total} fileCount={upload.fileCount} />}

      {upload.phase === 'error' && (
        <ErrorState
          compact
          focusRetry={upload.retryable}
          title="The upload failed"
          message={upload.message}
          onRetry={upload.retryable ? () => void startUpload(upload.files, { scan: upload.scan }) : undefined}
        />
      )}

      {upload.phase === 'done' && (
        <div className="upload__result">
          <p role="status" className="upload__summary" data-testid="upload-summary">
            {upload.result.accepted.length > 0 ? `${plural(upload.result.accepted.length, 'photo')} uploaded.` : 'No photos were uploaded.'}
            {startScan.isPending && ' Starting a scan…'}
          </p>
          {upload.result.refused.length + upload.skipped.length > 0 && (
            <>
              <p className="upload__refused-title">
                {plural(upload.result.refused.length + upload.skipped.length, 'file was', 'files were')} refused:
              </p>
              <ul className="failure-list">
                {[...upload.skipped, ...upload.result.refused].map((file, index) => (
                  // biome-ignore lint/suspicious/noArrayIndexKey: a fixed list, never reordered, in which two files may share a name and reason.
                  <li className="failure-list__item" key={`${index}-${file.name}`} data-testid="upload-refused">
                    <span className="failure-list__name">{file.name}</span>
                    <span className="failure-list__reason">{file.reason}</span>
                  </li>
                ))}
              </ul>
            </>
          )}
          {startScan.error && (
            <ErrorState
              compact
              title="Couldn't start a scan of your uploads"
              message={describeError(startScan.error).message}
              onRetry={() => startScan.mutate(upload.result.sourceId)}
              retrying={startScan.isPending}
            />
          )}
          <div className="add-card__actions">
            {upload.result.accepted.length > 0 && upload.scanId === null && !startScan.isPending && !startScan.error && (
              <button type="button" className="button button--primary" onClick={() => startScan.mutate(upload.result.sourceId)}>
                Scan uploaded photos
              </button>
            )}
            {upload.scanId !== null && (
              <a className="button button--secondary" href={hrefOf({ view: 'library', scanId: upload.scanId })}>
                Show the scan
              </a>
            )}
            <button type="button" className="button button--ghost" onClick={dismissUpload}>
              Dismiss
            </button>
          </div>
        </div>
      )}
    </section>
  );
}

function UploadProgress({ loaded, total, fileCount }: { loaded: number; total: number; fileCount: number }) {
  const percent = total > 0 ? Math.min(100, Math.floor((loaded / total) * 100)) : 0;
  const sent = loaded >= total && total > 0;
  return (
    <div className="upload__progress">
      <div
        className="progress"
        role="progressbar"
        aria-label="Upload progress"
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={percent}
        aria-valuetext={`${percent}% of ${formatBytes(total)}`}
      >
        <div className="progress__bar" style={{ width: `${percent}%` }} />
      </div>
      <p className="upload__progress-text" aria-hidden="true">
        {sent
          ? `Saving ${plural(fileCount, 'photo')} on the server…`
          : `Uploading ${plural(fileCount, 'photo')}: ${formatBytes(loaded)} of ${formatBytes(total)} (${formatCount(percent)}%)`}
      </p>
      {/* Announced at the start, every quarter and when the server takes over; not at every byte. */}
      <p className="visually-hidden" role="status">
        {sent
          ? `Saving ${plural(fileCount, 'photo')} on the server…`
          : `Uploading ${plural(fileCount, 'photo')}, ${Math.floor(percent / 25) * 25}% sent`}
      </p>
      <button type="button" className="button button--ghost" onClick={cancelUpload}>
        Cancel upload
      </button>
    </div>
  );
}
