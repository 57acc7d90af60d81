import { useEffect, useRef, useState } from 'react';
import { hashQuery, navigate, replaceHash, withHashParam } from '../shell/route.js';
import { trpc } from '../trpc.js';
import { RecentScans } from '../scans/RecentScans.js';
import { ScanPanel } from '../scans/ScanPanel.js';
import type { StartedScan } from '../scans/useStartScan.js';
import { ViewHeading } from '../ui/ViewHeading.js';
import { AddFolderForm } from './AddFolderForm.js';
import { googleOutcome } from './google-outcome.js';
import { SourceList } from './SourceList.js';
import { UploadPhotos } from './UploadPhotos.js';
import './library.css';

/** Photos library: the user's sources, adding more, scanning them and following the scans live. */
export function LibraryView({ scanId }: { scanId: number | null }) {
  const sources = trpc.sources.list.useQuery();
  const scans = trpc.scans.list.useQuery();
  const recentScansHeading = useRef<HTMLHeadingElement>(null);
  const [notice, setNotice] = useState<{ scanId: number; text: string } | null>(null);
  // How a Google Drive connection ended, from the address Google's round trip came back to; said once.
  const [google, setGoogle] = useState(() => googleOutcome(hashQuery().get('google')));
  useEffect(() => {
    if (hashQuery().has('google')) replaceHash(withHashParam(window.location.hash, 'google', null));
  }, []);

  // A scan opened after the view appeared was the user's doing: its panel takes focus.
  // (Opened from the address on arrival, the view's heading keeps it.)
  const mounted = useRef(false);
  useEffect(() => {
    mounted.current = true;
  }, []);

  const sourceName = (sourceId: number) => sources.data?.find((source) => source.id === sourceId)?.label ?? 'A photo library';
  const openScan = (id: number) => navigate({ view: 'library', scanId: id });
  const onScanStarted = ({ scanId: id, alreadyRunning }: StartedScan) => {
    setNotice(alreadyRunning ? { scanId: id, text: 'This library was already being scanned: here is that scan.' } : null);
    openScan(id);
    if (id === scanId) document.getElementById(`scan-panel-${id}`)?.querySelector<HTMLElement>('h2')?.focus();
  };

  const scanRow = scanId === null ? undefined : scans.data?.find((scan) => scan.id === scanId);
  const scannedSource = scanRow ? sources.data?.find((source) => source.id === scanRow.sourceId) : undefined;

  return (
    <>
      <ViewHeading title="Photos library">Photos library</ViewHeading>
      <p className="view-intro">
        Connect the places your concert photos live, then scan them: each photo's date and place are read to find your concerts. Scanning only reads
        your photos.
      </p>

      {google && (
        <div
          className={google.ok ? 'notice notice--success library-message' : 'notice notice--warn library-message'}
          role={google.ok ? 'status' : 'alert'}
          data-testid="google-outcome"
        >
          <p className="library-message__title">{google.title}</p>
          <p>{google.text}</p>
          <button type="button" className="button button--ghost library-message__close" onClick={() => setGoogle(null)}>
            Dismiss
          </button>
        </div>
      )}

      {scanId !== null && (
        <div id={`scan-panel-${scanId}`}>
          <ScanPanel
            key={scanId}
            scanId={scanId}
            title={scanRow ? `Scan of ${sourceName(scanRow.sourceId)}` : `Scan #${scanId}`}
            failureMessage={scanRow?.error ?? null}
            libraryPhotos={scannedSource?.photoCount ?? null}
            libraryKind={scannedSource?.kind ?? null}
            notice={notice?.scanId === scanId ? notice.text : null}
            focusOnMount={mounted.current}
            onOpenScan={openScan}
            onClose={() => {
              navigate({ view: 'library', scanId: null });
              recentScansHeading.current?.focus();
            }}
          />
        </div>
      )}

      <section className="library-section" aria-labelledby="libraries-title">
        <h2 className="library-section__title" id="libraries-title">
          Your libraries
        </h2>
        <SourceList sources={sources} scans={scans.data} openScanId={scanId} onScanStarted={onScanStarted} />
      </section>

      <section className="library-section" aria-labelledby="add-photos-title">
        <h2 className="library-section__title" id="add-photos-title">
          Add photos
        </h2>
        <div className="add-grid">
          <UploadPhotos onScanStarted={onScanStarted} />
          <AddFolderForm />
          <GoogleDriveCard />
        </div>
      </section>

      <RecentScans scans={scans} sourceName={sourceName} currentScanId={scanId} headingRef={recentScansHeading} />
    </>
  );
}

function GoogleDriveCard() {
  return (
    <section className="card add-card" aria-labelledby="google-drive-title">
      <h3 className="card__title" id="google-drive-title">
        Google Drive
      </h3>
      <p className="muted">You'll go to Google to pick an account and allow access to your photos, then come back here.</p>
      <div className="add-card__actions">
        <button
          type="button"
          className="button button--secondary"
          // A full page navigation: the server sends the browser on to Google's consent page.
          onClick={() => window.location.assign('/api/sources/google/connect')}
        >
          Connect Google Drive
        </button>
      </div>
    </section>
  );
}
