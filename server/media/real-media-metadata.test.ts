import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import {
  expectedCapture,
  expectedPosition,
  hasImpossiblePosition,
  metresBetween,
  realFile,
  realFiles,
} from '../../tests/fixtures/real-media/truth.js';
import { readPhotoMetadata } from './exif.js';

/** A file time later than every capture in the corpus, so it can never be mistaken for one. */
const FILE_TIME = new Date('2024-05-01T10:00:00.000Z');
const options = { fileModifiedAt: FILE_TIME, homeTimeZone: async () => 'Europe/Berlin' };

describe('metadata of real phones and cameras, compared with ExifTool', () => {
  for (const file of realFiles) {
    it(`reads ${file.path} as ExifTool does: date within a second, position within 10 m`, async () => {
      const metadata = await readPhotoMetadata(file.absolutePath, options);
      const expected = expectedCapture(file);
      if (expected) {
        expect(metadata.takenAtSource).toBe(expected.source);
        expect(Math.abs(metadata.takenAt!.getTime() - expected.instant.getTime())).toBeLessThanOrEqual(1000);
        // A zone whenever the file tells one (an offset, a position, a UTC stamp); floating otherwise.
        expect(metadata.timeZone !== null).toBe(expected.zoned);
      } else {
        // Nothing in the file: the file time, marked as a guess, never silently undated.
        expect(metadata).toMatchObject({ takenAt: FILE_TIME, takenAtSource: 'file-time' });
      }
      const position = expectedPosition(file);
      if (position) {
        expect(metresBetween(position, { latitude: metadata.latitude!, longitude: metadata.longitude! })).toBeLessThanOrEqual(10);
      } else {
        expect(metadata.latitude).toBeNull();
        expect(metadata.longitude).toBeNull();
      }
      expect(metadata.notes.length > 0).toBe(hasImpossiblePosition(file));
    });
  }

  it('reads every file from its path exactly as from its bytes', async () => {
    for (const file of realFiles) {
      const [fromPath, fromBytes] = await Promise.all([
        readPhotoMetadata(file.absolutePath, options),
        readPhotoMetadata(await readFile(file.absolutePath), options),
      ]);
      expect(fromPath, file.path).toEqual(fromBytes);
    }
  });

  it('keeps the photo with the impossible GPS latitude (213.64), its date, and says why the position is gone', async () => {
    const metadata = await readPhotoMetadata(realFile('photoprism/meta__buggy_panorama.jpg').absolutePath);
    expect(metadata).toMatchObject({ takenAtSource: 'exif-original', latitude: null, longitude: null });
    expect(metadata.takenAt).toEqual(new Date('2022-04-24T08:35:53.358Z'));
    expect(metadata.notes).toEqual(['The GPS position (latitude 213.64001, longitude 103.48) is not on Earth: it was ignored']);
  });

  it('dates the Nokia HEIF, which has no EXIF date, by its GPS stamp in UTC, in the zone of its position', async () => {
    const metadata = await readPhotoMetadata(realFile('exif-samples/heic_mobile_HMD_Nokia_8.3_5G.heif').absolutePath);
    expect(metadata).toMatchObject({ takenAt: new Date('2022-02-03T14:44:09Z'), takenAtSource: 'gps', timeZone: 'Europe/Madrid' });
  });

  it('reads the iPhone 13 Pro Max HEIC at 11:55Z, with the offset the phone wrote and no GPS', async () => {
    const metadata = await readPhotoMetadata(realFile('exif-samples/heic_mobile_iphone_13_pro_max.HEIC').absolutePath);
    expect(metadata).toMatchObject({ takenAt: new Date('2022-02-16T11:55:41.762Z'), takenAtSource: 'exif-original', timeZone: 'Etc/GMT-1' });
  });
});
