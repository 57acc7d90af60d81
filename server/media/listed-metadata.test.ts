import { describe, expect, it } from 'vitest';
import { metadataFromListing } from './listed-metadata.js';

/** Drive's imageMediaMetadata.time, "2022:02:16 12:55:41", as floatingWallTime carries it. */
const TWELVE_FIFTY_FIVE = new Date('2022-02-16T12:55:41Z');
const PARADISO = { latitude: 52.3622, longitude: 4.884 };
const FILE_TIME = new Date('2023-03-01T09:00:00Z');

describe('metadata of a photo from its library listing (Google Drive)', () => {
  it('reads the wall time in the zone of the GPS position, without asking for the home zone', async () => {
    let asked = false;
    const metadata = await metadataFromListing({ takenAt: TWELVE_FIFTY_FIVE, ...PARADISO }, FILE_TIME, async () => {
      asked = true;
      return 'America/New_York';
    });
    expect(metadata).toMatchObject({ takenAt: new Date('2022-02-16T11:55:41Z'), timeZone: 'Europe/Amsterdam', takenAtSource: 'library' });
    expect(asked).toBe(false);
  });

  it("reads it in the user's home zone without GPS: the iPhone photo Drive lists at 12:55 is 11:55Z, as its file says", async () => {
    const metadata = await metadataFromListing({ takenAt: TWELVE_FIFTY_FIVE }, FILE_TIME, async () => 'Europe/Paris');
    expect(metadata).toMatchObject({ takenAt: new Date('2022-02-16T11:55:41Z'), timeZone: 'Europe/Paris', takenAtSource: 'library', latitude: null });
  });

  it('keeps it floating when there is neither a position nor a home zone (or an unknown one)', async () => {
    for (const home of [null, 'Mars/Olympus_Mons']) {
      const metadata = await metadataFromListing({ takenAt: TWELVE_FIFTY_FIVE }, FILE_TIME, async () => home);
      expect(metadata).toMatchObject({ takenAt: TWELVE_FIFTY_FIVE, timeZone: null, takenAtSource: 'library' });
    }
  });

  it('dates a photo the library knows no time for by its file time, marked as a guess', async () => {
    const metadata = await metadataFromListing({}, FILE_TIME, async () => 'Europe/Paris');
    expect(metadata).toMatchObject({ takenAt: FILE_TIME, timeZone: 'Europe/Paris', takenAtSource: 'file-time' });
    expect(await metadataFromListing({}, null, async () => null)).toMatchObject({ takenAt: null, takenAtSource: null });
  });

  it("turns Drive's rotation into the EXIF orientation it stands for", async () => {
    const orientations = await Promise.all(
      [0, 1, 2, 3].map(async (rotation) => (await metadataFromListing({ rotation }, null, async () => null)).orientation),
    );
    expect(orientations).toEqual([1, 6, 3, 8]);
    expect((await metadataFromListing({}, null, async () => null)).orientation).toBeNull();
  });
});
