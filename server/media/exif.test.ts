import { describe, expect, it } from 'vitest';
import { encodeJpeg, type PhotoExif } from '../../scripts/demo-library/photo-exif.js';
import { jpegWithExifTags, textFileNamedJpeg, withCorruptExif } from '../../tests/support/images.js';
import { parseExifDateTime, parseOffset, readPhotoMetadata } from './exif.js';
import { InvalidPhotoError } from './photo-errors.js';

const NOW = new Date('2024-06-01T12:00:00Z');
const PARADISO = { latitude: 52.3622, longitude: 4.884 };
const BOWERY_BALLROOM = { latitude: 40.7204, longitude: -73.9936 };

const pixels = { data: Buffer.alloc(64 * 48 * 3, 60), width: 64, height: 48, channels: 3 as const };
const photoWith = (exif: PhotoExif) => encodeJpeg(pixels, { exif });
const read = async (exif: PhotoExif) => readPhotoMetadata(await photoWith(exif), { now: NOW });

async function invalidReason(file: Buffer): Promise<string> {
  const error = await readPhotoMetadata(file, { now: NOW }).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(InvalidPhotoError);
  return (error as InvalidPhotoError).reason;
}

describe('readPhotoMetadata', () => {
  it('uses the offset the camera wrote, with sub-seconds, and names the zone of the GPS position', async () => {
    const metadata = await read({
      localTime: '2019-07-05T21:34:56',
      subSeconds: '120',
      offset: '+02:00',
      ...PARADISO,
      make: 'Canon',
      model: 'Canon EOS 5D Mark IV',
      orientation: 6,
    });
    expect(metadata).toEqual({
      takenAt: new Date('2019-07-05T19:34:56.120Z'),
      takenAtSource: 'exif-original',
      timeZone: 'Europe/Amsterdam',
      latitude: expect.closeTo(52.3622, 6),
      longitude: expect.closeTo(4.884, 6),
      cameraMake: 'Canon',
      cameraModel: 'Canon EOS 5D Mark IV',
      orientation: 6,
      notes: [],
    });
  });

  it('reads the wall time in the zone of the GPS position when there is no offset', async () => {
    const metadata = await read({ localTime: '2019-07-05T21:34:56', ...BOWERY_BALLROOM });
    expect(metadata.timeZone).toBe('America/New_York');
    expect(metadata.takenAt).toEqual(new Date('2019-07-06T01:34:56.000Z'));
  });

  it('applies daylight saving time of the date, not of today', async () => {
    const winter = await read({ localTime: '2019-01-10T21:00:00', ...PARADISO });
    expect(winter.takenAt).toEqual(new Date('2019-01-10T20:00:00.000Z'));
  });

  it('reads a time from a night when clocks jumped forward as the first valid time after it', async () => {
    const metadata = await read({ localTime: '2021-03-28T02:30:00', ...PARADISO });
    expect(metadata.takenAt).toEqual(new Date('2021-03-28T01:30:00.000Z'));
  });

  it('keeps a time without offset or GPS floating: the wall time stored as UTC, no zone', async () => {
    const metadata = await read({ localTime: '2019-07-05T23:50:10', subSeconds: '5', make: 'FUJIFILM', model: 'X100V' });
    expect(metadata.takenAt).toEqual(new Date('2019-07-05T23:50:10.500Z'));
    expect(metadata.timeZone).toBeNull();
    expect(metadata.latitude).toBeNull();
    expect(metadata.cameraModel).toBe('X100V');
  });

  it('names a fixed-offset IANA zone when only a whole-hour offset is known', async () => {
    const metadata = await read({ localTime: '2019-07-05T21:34:56', offset: '+02:00' });
    expect(metadata.takenAt).toEqual(new Date('2019-07-05T19:34:56.000Z'));
    expect(metadata.timeZone).toBe('Etc/GMT-2');
    expect((await read({ localTime: '2019-07-05T21:34:56', offset: '-05:00' })).timeZone).toBe('Etc/GMT+5');
  });

  it('keeps the exact instant but no zone for an offset IANA has no fixed zone for', async () => {
    const metadata = await read({ localTime: '2020-02-01T20:00:00', offset: '+05:30' });
    expect(metadata.takenAt).toEqual(new Date('2020-02-01T14:30:00.000Z'));
    expect(metadata.timeZone).toBeNull();
  });

  it('falls back to the digitized date with its own sub-seconds and offset', async () => {
    const file = await jpegWithExifTags({
      IFD2: { DateTimeDigitized: '2015:06:01 22:10:00', SubSecTimeDigitized: '45', OffsetTimeDigitized: '-05:00' },
    });
    const metadata = await readPhotoMetadata(file, { now: NOW });
    expect(metadata.takenAt).toEqual(new Date('2015-06-02T03:10:00.450Z'));
  });

  it('treats GPS 0,0 as no position', async () => {
    const metadata = await read({ localTime: '2019-07-05T21:34:56', latitude: 0, longitude: 0 });
    expect(metadata.latitude).toBeNull();
    expect(metadata.longitude).toBeNull();
    expect(metadata.timeZone).toBeNull();
  });

  it('treats an unset camera clock (all zeros) as no date', async () => {
    const file = await jpegWithExifTags({ IFD2: { DateTimeOriginal: '0000:00:00 00:00:00' } });
    expect((await readPhotoMetadata(file, { now: NOW })).takenAt).toBeNull();
  });

  it('drops a date no photo can have (year 0001, an unset clock) instead of reading it as 1901', async () => {
    for (const value of ['0001:01:01 00:00:00', '0099:12:31 23:59:59', '1000:06:15 12:00:00']) {
      const file = await jpegWithExifTags({ IFD2: { DateTimeOriginal: value } });
      const metadata = await readPhotoMetadata(file, { now: NOW }).catch((error: unknown) => error);
      expect(metadata, value).toMatchObject({ takenAt: null });
    }
    // A date that could be real keeps the refusal with its own date, not a mangled one.
    const early = await jpegWithExifTags({ IFD2: { DateTimeOriginal: '1901:01:01 00:00:00' } });
    expect(await invalidReason(early)).toMatch(/\(1901-01-01\) is before 1990/);
  });

  it('returns nulls for a photo without EXIF, for a corrupt EXIF block and for a file that is no image', async () => {
    const plain = await encodeJpeg(pixels);
    const empty = {
      takenAt: null,
      takenAtSource: null,
      timeZone: null,
      latitude: null,
      longitude: null,
      cameraMake: null,
      cameraModel: null,
      orientation: null,
      notes: [],
    };
    expect({ ...(await readPhotoMetadata(plain)), orientation: null }).toEqual(empty);
    expect(await readPhotoMetadata(withCorruptExif(plain))).toEqual(empty);
    expect(await readPhotoMetadata(textFileNamedJpeg())).toEqual(empty);
    expect(await readPhotoMetadata(Buffer.alloc(0))).toEqual(empty);
  });

  it('refuses a photo dated before 1990', async () => {
    expect(await invalidReason(await photoWith({ localTime: '1980-01-01T00:00:00' }))).toMatch(/before 1990/);
  });

  it('refuses a photo dated more than two days in the future', async () => {
    expect(await invalidReason(await photoWith({ localTime: '2024-06-04T12:00:00' }))).toMatch(/in the future/);
    await expect(read({ localTime: '2024-06-02T12:00:00' })).resolves.toMatchObject({ takenAt: new Date('2024-06-02T12:00:00Z') });
  });

  it('drops coordinates that are not on Earth with a note, and keeps the rest of the photo', async () => {
    const date = { DateTimeOriginal: '2019:07:05 21:34:56', OffsetTimeOriginal: '+02:00' };
    const badLatitude = await jpegWithExifTags({
      IFD2: date,
      IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '95/1 0/1 0/1', GPSLongitudeRef: 'E', GPSLongitude: '4/1 0/1 0/1' },
    });
    expect(await readPhotoMetadata(badLatitude, { now: NOW })).toMatchObject({
      takenAt: new Date('2019-07-05T19:34:56Z'),
      takenAtSource: 'exif-original',
      timeZone: 'Etc/GMT-2',
      latitude: null,
      longitude: null,
      notes: ['The GPS position (latitude 95, longitude 4) is not on Earth: it was ignored'],
    });
    const badLongitude = await jpegWithExifTags({
      IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '1/1 0/1 0/1', GPSLongitudeRef: 'W', GPSLongitude: '200/1 0/1 0/1' },
    });
    expect(await readPhotoMetadata(badLongitude, { now: NOW })).toMatchObject({
      latitude: null,
      longitude: null,
      notes: [expect.stringMatching(/longitude -200\)/)],
    });
  });
});

describe('parseExifDateTime', () => {
  it('reads the EXIF form and the forms some tools write instead', () => {
    expect(parseExifDateTime('2019:07:05 21:34:56')?.wall).toMatchObject({
      year: 2019,
      month: 7,
      day: 5,
      hour: 21,
      minute: 34,
      second: 56,
      millisecond: 0,
    });
    expect(parseExifDateTime('2019-07-05T21:34:56.25')?.wall.millisecond).toBe(250);
    expect(parseExifDateTime('2019:07:05 21:34:56+02:00')?.offsetMinutes).toBe(120);
    expect(parseExifDateTime('2019:07:05 21:34')?.wall.second).toBe(0);
  });

  it('refuses impossible or unset dates', () => {
    for (const value of [
      '0000:00:00 00:00:00',
      '0001:01:01 00:00:00',
      '0050:02:29 10:00:00',
      '2019:13:01 10:00:00',
      '2019:04:31 10:00:00',
      '2019:07:05 25:00:00',
      '    :  :     :  :  ',
      'yesterday',
      20190705,
    ]) {
      expect(parseExifDateTime(value)).toBeNull();
    }
  });
});

describe('parseOffset', () => {
  it('reads offsets in minutes east of UTC', () => {
    expect(parseOffset('+02:00')).toBe(120);
    expect(parseOffset('-05:30')).toBe(-330);
    expect(parseOffset('+0545')).toBe(345);
    expect(parseOffset('Z')).toBe(0);
  });

  it('ignores blanks and impossible offsets', () => {
    for (const value of ['', '   :  ', '+15:00', '+02:75', 2, undefined]) expect(parseOffset(value)).toBeNull();
  });
});
