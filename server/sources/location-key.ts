/**
 * What makes two libraries of one user the same library: the same folder (resolved),
 * the same Google account, or the upload library (one per user). The hash is stored
 * in sources.location_key under a unique (user_id, location_key) index, so adding the
 * same place twice, even at the same instant, leaves one row. Migration 0007 computes
 * the same hashes in SQL for rows made before the key existed: keep them in step.
 */
import { createHash } from 'node:crypto';

export type LibraryLocation = { kind: 'local'; folder: string } | { kind: 'gdrive'; email: string } | { kind: 'upload' };

function canonical(location: LibraryLocation): string {
  switch (location.kind) {
    case 'local':
      return `local:${location.folder}`;
    case 'gdrive':
      // Google treats addresses case-insensitively; the account is the same whatever case the id token carries.
      return `gdrive:${location.email.toLowerCase()}`;
    case 'upload':
      return 'upload:';
  }
}

export function locationKey(location: LibraryLocation): string {
  return createHash('sha256').update(canonical(location), 'utf8').digest('hex');
}
