import { bigint, boolean, double, index, int, mysqlEnum, mysqlTable, primaryKey, tinyint, uniqueIndex, varchar } from 'drizzle-orm/mysql-core';
import { MEDIA_TYPES, PHOTO_STATUSES } from '../../shared/photo.schema.js';
import type { TakenAtSource } from '../../shared/taken-at-source.js';
import { idColumn, instant, refColumn, timestamps } from './columns.js';

/**
 * One photo of a user's library, unique per (user, source, source file id) so that
 * ingesting the same file twice upserts one row. User-scoped and partitionable.
 */
export const photos = mysqlTable(
  'photos',
  {
    id: idColumn(),
    userId: refColumn('user_id').notNull(),
    sourceId: refColumn('source_id').notNull(),
    /** The file's id in its source: a Drive file id or a path relative to the source root. */
    sourceFileId: varchar('source_file_id', { length: 255 }).notNull(),
    scanId: refColumn('scan_id'),
    fileName: varchar('file_name', { length: 255 }).notNull(),
    /** A photo or a video: one table, so concerts, stars, moves, counts and the access checks treat both alike. */
    mediaType: mysqlEnum('media_type', MEDIA_TYPES).notNull().default('photo'),
    /** Videos: their length. */
    durationMs: int('duration_ms', { unsigned: true }),
    mimeType: varchar('mime_type', { length: 100 }),
    byteSize: bigint('byte_size', { mode: 'number', unsigned: true }),
    width: int('width', { unsigned: true }),
    height: int('height', { unsigned: true }),
    /** SHA-256 of the bytes (hex), or Drive's md5Checksum when the bytes were never read. */
    contentHash: varchar('content_hash', { length: 64 }),
    contentHashKind: mysqlEnum('content_hash_kind', ['sha256', 'md5']),
    /** 64-bit perceptual hash; the dedup stage splits it into chunks in memory (server/services/duplicate-index.ts). */
    perceptualHash: bigint('perceptual_hash', { mode: 'bigint', unsigned: true }),
    takenAt: instant('taken_at'),
    /** Where takenAt was read (shared/taken-at-source.ts); 'file-time' marks a guess. Null when the photo has no date. */
    takenAtSource: varchar('taken_at_source', { length: 24 }).$type<TakenAtSource>(),
    /** IANA zone of the place the photo was taken, used for the local evening rule. */
    timeZone: varchar('time_zone', { length: 64 }),
    latitude: double('latitude'),
    longitude: double('longitude'),
    cameraMake: varchar('camera_make', { length: 100 }),
    cameraModel: varchar('camera_model', { length: 100 }),
    orientation: tinyint('orientation', { unsigned: true }),
    /** What ingest ignored in the file's metadata and why (an impossible GPS position), for the user and for support. */
    metadataNotes: varchar('metadata_notes', { length: 500 }),
    status: mysqlEnum('status', PHOTO_STATUSES).notNull().default('pending'),
    failureReason: varchar('failure_reason', { length: 500 }),
    starred: boolean('starred').notNull().default(false),
    hidden: boolean('hidden').notNull().default(false),
    thumbnailKey: varchar('thumbnail_key', { length: 255 }),
    /** Set once the 400/800/1200 px variants of a starred photo exist in storage. */
    variantsKey: varchar('variants_key', { length: 255 }),
    blurPlaceholder: varchar('blur_placeholder', { length: 128 }),
    /** The ~2048 px WebP preview the lightbox shows (every photo, and a video's poster frame). */
    previewKey: varchar('preview_key', { length: 255 }),
    /** The original's bytes in our storage, when we hold them: a video, an upload, a starred photo. */
    originalKey: varchar('original_key', { length: 255 }),
    /** A Live Photo's motion clip (the paired video's original), played with the photo. */
    motionKey: varchar('motion_key', { length: 255 }),
    /** Apple's content identifier, shared by a Live Photo's HEIC and MOV: how the two are paired. */
    contentIdentifier: varchar('content_identifier', { length: 64 }),
    duplicateGroupId: refColumn('duplicate_group_id'),
    concertId: refColumn('concert_id'),
    eventKey: varchar('event_key', { length: 64 }),
    /** A festival day's photo: it waits for an act (concert_id null) in the festival's clusters, not among the unmatched. */
    festivalId: refColumn('festival_id'),
    ...timestamps,
  },
  (t) => [
    primaryKey({ name: 'photos_pk', columns: [t.id, t.userId] }),
    uniqueIndex('photos_user_source_file_uq').on(t.userId, t.sourceId, t.sourceFileId),
    index('photos_concert_idx').on(t.userId, t.concertId, t.starred, t.createdAt),
    index('photos_unmatched_idx').on(t.userId, t.concertId, t.createdAt),
    index('photos_user_taken_idx').on(t.userId, t.takenAt),
    index('photos_user_hash_idx').on(t.userId, t.contentHash),
    index('photos_user_group_idx').on(t.userId, t.duplicateGroupId),
    index('photos_user_scan_status_idx').on(t.userId, t.scanId, t.status),
    /** Counts of what the user sees (all, unmatched, per concert) read this index alone, never the rows. */
    index('photos_user_visible_idx').on(t.userId, t.status, t.hidden, t.concertId),
    /** Live Photo pairing: the photo and the clip of one content identifier, in one library. */
    index('photos_festival_idx').on(t.userId, t.festivalId, t.concertId),
    index('photos_live_pair_idx').on(t.userId, t.sourceId, t.contentIdentifier),
  ],
);
