import { char, index, mysqlEnum, mysqlTable, primaryKey, text, uniqueIndex, varchar } from 'drizzle-orm/mysql-core';
import { idColumn, instant, refColumn, timestamps } from './columns.js';

/** A photo library a user connected: a local folder, browser uploads or Google Drive. */
export const sources = mysqlTable(
  'sources',
  {
    id: idColumn(),
    userId: refColumn('user_id').notNull(),
    kind: mysqlEnum('kind', ['local', 'upload', 'gdrive']).notNull(),
    label: varchar('label', { length: 255 }).notNull(),
    /** Absolute folder for `local` sources (resolved, no symlink), inside the user's grant under LOCAL_IMPORT_ROOTS. */
    localPath: varchar('local_path', { length: 1024 }),
    googleAccountEmail: varchar('google_account_email', { length: 320 }),
    /** AES-256-GCM ciphertext of the Drive refresh token; never leaves the server. */
    encryptedRefreshToken: text('encrypted_refresh_token'),
    /** Drive changes feed position for incremental rescans. */
    changesPageToken: varchar('changes_page_token', { length: 255 }),
    rescanSchedule: mysqlEnum('rescan_schedule', ['off', 'daily', 'weekly']).notNull().default('off'),
    lastScanAt: instant('last_scan_at'),
    /**
     * Set when the user disconnected the library but kept its history: its photos and concerts stay, it is not
     * scanned any more and holds no Drive grant. Adding the same place again reconnects it (clears this).
     */
    disconnectedAt: instant('disconnected_at'),
    /**
     * SHA-256 (hex) of what the library is (its folder, its Google account, "uploads"), see
     * server/sources/location-key.ts: unique per user, so one place is one library however often
     * or concurrently it is added. Null only on duplicates made before the key existed.
     */
    locationKey: char('location_key', { length: 64 }),
    ...timestamps,
  },
  (t) => [
    primaryKey({ name: 'sources_pk', columns: [t.id, t.userId] }),
    index('sources_user_idx').on(t.userId),
    uniqueIndex('sources_user_location_uq').on(t.userId, t.locationKey),
  ],
);
