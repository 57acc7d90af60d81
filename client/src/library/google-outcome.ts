/**
 * How a Google Drive connection ended, in words: the server sends the browser back to the library page with
 * `#/library?google=<outcome>` (server/sources/google-drive/google-oauth.routes.ts).
 */
export interface GoogleOutcome {
  ok: boolean;
  title: string;
  text: string;
}

const OUTCOMES: Record<string, GoogleOutcome> = {
  connected: {
    ok: true,
    title: 'Google Drive is connected',
    text: 'Your Drive is one of your libraries below. Use “Scan now” on it to read its photos.',
  },
  not_configured: {
    ok: false,
    title: 'Google Drive is not set up on this server',
    text: 'Its operator has not given it a Google OAuth client (GOOGLE_CLIENT_ID and GOOGLE_CLIENT_SECRET). Upload your photos or add a server folder instead.',
  },
  logged_out: {
    ok: false,
    title: 'Google Drive was not connected',
    text: 'You were logged out when the connection started. Connect Google Drive again.',
  },
  state_mismatch: {
    ok: false,
    title: 'Google Drive was not connected',
    text: 'Google’s answer did not belong to a connection started here (it may have been opened twice, or in another window), so it was ignored. Connect Google Drive again.',
  },
  access_denied: {
    ok: false,
    title: 'Google Drive was not connected',
    text: 'You declined on Google’s page, so nothing was connected. Connect again if you change your mind.',
  },
  drive_access_not_granted: {
    ok: false,
    title: 'Google Drive was not connected',
    text: 'Google did not give access to your Drive: on Google’s page, leave the box for Google Drive ticked. Connect again to retry.',
  },
  no_code: {
    ok: false,
    title: 'Google Drive was not connected',
    text: 'Google sent no authorization back. Connect Google Drive again.',
  },
  google_error: {
    ok: false,
    title: 'Google Drive was not connected',
    text: 'Google reported an error during the connection. Try again in a moment.',
  },
  google_connect_failed: {
    ok: false,
    title: 'Google Drive was not connected',
    text: 'Google refused to finish the connection. Try again in a moment.',
  },
  google_unavailable: {
    ok: false,
    title: 'Google Drive was not connected',
    text: 'Google could not be reached just now. Try again in a moment.',
  },
};

export function googleOutcome(name: string | null): GoogleOutcome | null {
  if (!name) return null;
  return (
    OUTCOMES[name] ?? {
      ok: false,
      title: 'Google Drive was not connected',
      text: 'Something went wrong during the connection. Connect Google Drive again.',
    }
  );
}
