import { describe, expect, it } from 'vitest';
import { floatingWallTime, isLiveImage, toSourceFile } from './drive-file-mapping.js';
import { DRIVE_FILE_FIELDS, type DriveFile } from './drive-schemas.js';

const photo: DriveFile = {
  id: '1AbCdEfGhIjKlMnOpQrStUvWxYz012345',
  name: 'IMG_2041.JPG',
  mimeType: 'image/jpeg',
  md5Checksum: '9E107D9D372BB6826BD81D3542A419D6',
  modifiedTime: '2023-11-04T22:41:07.123Z',
  size: '3481266',
  imageMediaMetadata: {
    time: '2019:07:04 21:15:02',
    location: { latitude: 51.5031, longitude: 0.0032, altitude: 12.5 },
    width: 4032,
    height: 3024,
    cameraMake: 'Apple',
    cameraModel: 'iPhone 12 mini ',
  },
  thumbnailLink: 'https://lh3.googleusercontent.com/drive-storage/AJQWtBN=s220',
};

describe('mapping a Drive file to a SourceFile', () => {
  it('keeps the Drive id, parses the int64 size and uses the md5 as fingerprint', () => {
    expect(toSourceFile(photo)).toMatchObject({
      fileId: photo.id,
      name: 'IMG_2041.JPG',
      mimeType: 'image/jpeg',
      size: 3_481_266,
      modifiedAt: new Date('2023-11-04T22:41:07.123Z'),
      fingerprint: '9e107d9d372bb6826bd81d3542a419d6',
    });
  });

  it('carries imageMediaMetadata over, with the capture time as a floating wall time', () => {
    expect(toSourceFile(photo).metadata).toEqual({
      takenAt: new Date(Date.UTC(2019, 6, 4, 21, 15, 2)),
      latitude: 51.5031,
      longitude: 0.0032,
      width: 4032,
      height: 3024,
      rotation: null,
      cameraMake: 'Apple',
      cameraModel: 'iPhone 12 mini',
      md5: '9e107d9d372bb6826bd81d3542a419d6',
      hasThumbnail: true,
      thumbnailLink: 'https://lh3.googleusercontent.com/drive-storage/AJQWtBN=s220',
    });
  });

  it("gives a portrait photo stored landscape its upright size and Drive's rotation", () => {
    const portrait = { ...photo, imageMediaMetadata: { ...photo.imageMediaMetadata, rotation: 1 } };
    expect(toSourceFile(portrait).metadata).toMatchObject({ width: 3024, height: 4032, rotation: 1 });
    const upsideDown = { ...photo, imageMediaMetadata: { ...photo.imageMediaMetadata, rotation: 2 } };
    expect(toSourceFile(upsideDown).metadata).toMatchObject({ width: 4032, height: 3024, rotation: 2 });
    // Not a rotation Drive documents: ignored.
    const odd = { ...photo, imageMediaMetadata: { ...photo.imageMediaMetadata, rotation: 7 } };
    expect(toSourceFile(odd).metadata).toMatchObject({ width: 4032, height: 3024, rotation: null });
  });

  it('asks Drive for the rotation of every image', () => {
    expect(DRIVE_FILE_FIELDS).toMatch(/imageMediaMetadata\([^)]*\brotation\b/);
  });

  it('fingerprints by modified time and size when Drive has no md5', () => {
    const { md5Checksum: _, ...withoutMd5 } = photo;
    expect(toSourceFile(withoutMd5).fingerprint).toBe('mtime:2023-11-04T22:41:07.123Z/size:3481266');
    expect(toSourceFile(withoutMd5).metadata?.md5).toBeNull();
  });

  it('leaves out what Drive does not know, and positions that are not on Earth', () => {
    const bare = toSourceFile({
      id: 'x',
      name: 'scan.png',
      mimeType: 'image/png',
      imageMediaMetadata: { location: { latitude: 123, longitude: 0 } },
    });
    expect(bare).toMatchObject({ size: null, modifiedAt: null });
    expect(bare.metadata).toMatchObject({ takenAt: null, latitude: null, longitude: null, width: null, cameraMake: null, hasThumbnail: false });
  });

  it('counts only images that are not in the trash', () => {
    expect(isLiveImage(photo)).toBe(true);
    expect(isLiveImage({ ...photo, trashed: true })).toBe(false);
    expect(isLiveImage({ ...photo, mimeType: 'application/pdf' })).toBe(false);
  });
});

describe('Drive videos', () => {
  it('are listed with their size and length from videoMediaMetadata, and read whole (no thumbnail shortcut: their date is in the file)', () => {
    const video = {
      id: 'v1',
      name: 'IMG_0420.MOV',
      mimeType: 'video/quicktime',
      md5Checksum: 'aa'.repeat(16),
      size: '52428800',
      videoMediaMetadata: { width: 1920, height: 1080, durationMillis: '31250' },
      thumbnailLink: 'https://lh3.googleusercontent.com/x=s220',
    };
    expect(isLiveImage(video)).toBe(true);
    expect(toSourceFile(video)).toMatchObject({
      mimeType: 'video/quicktime',
      size: 52_428_800,
      fingerprint: 'aa'.repeat(16),
      metadata: { width: 1920, height: 1080, durationMs: 31_250, hasThumbnail: false, md5: 'aa'.repeat(16) },
    });
  });
});

describe('floatingWallTime', () => {
  it('reads the EXIF wall clock into the UTC fields of a Date', () => {
    const taken = floatingWallTime('2024:12:31 23:59:58')!;
    expect(taken.toISOString()).toBe('2024-12-31T23:59:58.000Z');
  });

  it('refuses values that are not real calendar times', () => {
    for (const value of ['0000:00:00 00:00:00', '2019:02:30 20:00:00', '2019:07:04 25:00:00', '2019-07-04T21:15:02', '', '    ']) {
      expect(floatingWallTime(value), value).toBeNull();
    }
  });
});
