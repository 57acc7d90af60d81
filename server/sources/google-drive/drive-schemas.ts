/**
 * The Drive v3 resources we read, as zod schemas: the field masks we request and
 * the shapes Google answers with. Only what the product needs is required, so a
 * new optional field on Google's side changes nothing here.
 */
import { z } from 'zod';

/** Asked of every file, in files.list and in changes.list. */
export const DRIVE_FILE_FIELDS =
  'id, name, mimeType, md5Checksum, modifiedTime, size, imageMediaMetadata(time, location, width, height, rotation, cameraMake, cameraModel), videoMediaMetadata(width, height, durationMillis), thumbnailLink';

/** Photos and videos (a concert's videos are part of its history). */
export const IMAGE_FILES_QUERY = "(mimeType contains 'image/' or mimeType contains 'video/') and trashed = false";

/**
 * Drive's videoMediaMetadata: no capture time and no position (a video's are read from its own
 * QuickTime index, so a video is downloaded), only its size and length. "May not be available
 * immediately upon upload." durationMillis is an int64, so a string of digits in JSON.
 */
const videoMediaMetadata = z.object({
  width: z.number().int().nonnegative().optional(),
  height: z.number().int().nonnegative().optional(),
  durationMillis: z.union([z.string().regex(/^\d{1,15}$/), z.number().int().nonnegative()]).optional(),
});

const imageMediaMetadata = z.object({
  /** EXIF DateTimeOriginal as Drive copies it: "YYYY:MM:DD HH:MM:SS", the camera's wall clock, no zone. */
  time: z.string().optional(),
  location: z
    .object({
      latitude: z.number().optional(),
      longitude: z.number().optional(),
      altitude: z.number().optional(),
    })
    .optional(),
  /** Of the pixels as stored, before `rotation`. */
  width: z.number().int().nonnegative().optional(),
  height: z.number().int().nonnegative().optional(),
  /** "The number of clockwise 90 degree rotations applied from the image's original orientation": the EXIF orientation, as Drive reads it. */
  rotation: z.number().int().optional(),
  cameraMake: z.string().optional(),
  cameraModel: z.string().optional(),
});

export const driveFile = z.object({
  id: z.string().min(1).max(255),
  name: z.string(),
  mimeType: z.string(),
  md5Checksum: z
    .string()
    .regex(/^[0-9a-f]{32}$/i, 'must be 32 hex digits')
    .optional(),
  /** RFC 3339, e.g. 2024-06-01T21:14:03.512Z. */
  modifiedTime: z.iso.datetime({ offset: true }).optional(),
  /** int64 in Drive's JSON is a string of digits. */
  size: z.string().regex(/^\d+$/, 'must be a decimal string').optional(),
  imageMediaMetadata: imageMediaMetadata.optional(),
  videoMediaMetadata: videoMediaMetadata.optional(),
  thumbnailLink: z.url().optional(),
  trashed: z.boolean().optional(),
});
export type DriveFile = z.infer<typeof driveFile>;

export const driveFileList = z.object({
  nextPageToken: z.string().min(1).optional(),
  files: z.array(driveFile),
});
export type DriveFileList = z.infer<typeof driveFileList>;

export const startPageToken = z.object({ startPageToken: z.string().min(1) });

export const driveChange = z.object({
  /** Absent on changes to a shared drive itself (changeType "drive"). */
  fileId: z.string().min(1).optional(),
  removed: z.boolean().optional(),
  file: driveFile.optional(),
});
export type DriveChange = z.infer<typeof driveChange>;

/** Exactly one of nextPageToken (more pages) and newStartPageToken (caught up) is present. */
export const driveChangeList = z
  .object({
    nextPageToken: z.string().min(1).optional(),
    newStartPageToken: z.string().min(1).optional(),
    changes: z.array(driveChange),
  })
  .refine((list) => Boolean(list.nextPageToken) !== Boolean(list.newStartPageToken), {
    message: 'must have exactly one of nextPageToken and newStartPageToken',
  });
export type DriveChangeList = z.infer<typeof driveChangeList>;

export const thumbnailLinkOnly = z.object({ thumbnailLink: z.url().optional() });
