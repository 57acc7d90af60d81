import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { metresBetween, REAL_MEDIA_DIR } from '../../tests/fixtures/real-media/truth.js';
import { MAX_MOOV_BYTES, randomAccess, readQuickTimeMovie, VideoStructureError } from './quicktime-atoms.js';
import { parseIso6709, readVideoMetadata } from './video-metadata.js';

type Truth = Record<string, string | number | undefined> & { SourceFile: string };
const truth: Truth[] = JSON.parse(readFileSync(join(REAL_MEDIA_DIR, 'video-truth.json'), 'utf8'));
const pathOf = (entry: Truth) => join(REAL_MEDIA_DIR, 'videos', entry.SourceFile);
const FILE_TIME = new Date('2024-05-01T10:00:00.000Z');
const options = { fileModifiedAt: FILE_TIME, homeTimeZone: async () => 'Europe/Lisbon' };

/** ExifTool's "YYYY:MM:DD HH:MM:SS[+HH:MM]" as an instant; a QuickTime CreateDate without offset is UTC. */
function instant(value: unknown): Date | null {
  const match = typeof value === 'string' ? /^(\d{4}):(\d{2}):(\d{2}) (\d{2}):(\d{2}):(\d{2})([+-]\d{2}:\d{2})?$/.exec(value) : null;
  if (!match || match[1] === '0000') return null;
  return new Date(`${match[1]}-${match[2]}-${match[3]}T${match[4]}:${match[5]}:${match[6]}${match[7] ?? 'Z'}`);
}

describe('the QuickTime/MP4 reader, on every real MOV and MP4 of the corpus, compared with ExifTool', () => {
  for (const entry of truth) {
    it(`reads ${entry.SourceFile} as ExifTool does: date within a second, position within 10 m, duration within 0.1 s, upright size`, async () => {
      const metadata = await readVideoMetadata(pathOf(entry), options);
      const zoned = instant(entry['Keys:CreationDate']);
      const header = instant(entry['QuickTime:CreateDate']);
      if (zoned) {
        expect(metadata.takenAtSource).toBe('quicktime');
        expect(Math.abs(metadata.takenAt!.getTime() - zoned.getTime())).toBeLessThanOrEqual(1000);
      } else if (header) {
        expect(metadata.takenAtSource).toBe('quicktime-utc');
        expect(Math.abs(metadata.takenAt!.getTime() - header.getTime())).toBeLessThanOrEqual(1000);
      } else {
        // "0000:00:00 00:00:00": no date in the file, so the file time, marked as a guess.
        expect(metadata).toMatchObject({ takenAt: FILE_TIME, takenAtSource: 'file-time', timeZone: 'Europe/Lisbon' });
      }
      const latitude = entry['Composite:GPSLatitude'];
      const longitude = entry['Composite:GPSLongitude'];
      if (typeof latitude === 'number' && typeof longitude === 'number' && (latitude !== 0 || longitude !== 0)) {
        expect(metresBetween({ latitude, longitude }, { latitude: metadata.latitude!, longitude: metadata.longitude! })).toBeLessThanOrEqual(10);
      } else {
        // No position, or 0,0 (a phone without a fix): none.
        expect([metadata.latitude, metadata.longitude]).toEqual([null, null]);
      }
      expect(Math.abs(metadata.durationMs! / 1000 - Number(entry['QuickTime:Duration']))).toBeLessThanOrEqual(0.1);
      // The video track: the one ExifTool gives a size (the handler type it prints last may be the data handler's).
      const track = entry['Track1:ImageWidth'] !== undefined ? 'Track1' : 'Track2';
      const [width, height] = [Number(entry[`${track}:ImageWidth`]), Number(entry[`${track}:ImageHeight`])];
      const rotation = Number(entry['Composite:Rotation'] ?? 0);
      expect(metadata.rotation).toBe(rotation);
      expect({ width: metadata.width, height: metadata.height }).toEqual(rotation % 180 ? { width: height, height: width } : { width, height });
      expect(metadata.cameraModel).toBe(entry['Keys:Model'] ?? null);
    });
  }

  it('reads the iPad MOV at 16:34:05Z in Berlin, from the creation date with its +02:00 offset, not the UTC header alone', async () => {
    const metadata = await readVideoMetadata(join(REAL_MEDIA_DIR, 'videos/photoprism_video__quicktime-hvc1.mov'));
    expect(metadata).toMatchObject({
      takenAt: new Date('2023-09-22T16:34:05Z'),
      takenAtSource: 'quicktime',
      timeZone: 'Europe/Berlin',
      width: 720,
      height: 1280,
      durationMs: 1167,
      cameraMake: 'Apple',
    });
  });

  it('reads a video from its bytes exactly as from its path', async () => {
    for (const entry of truth) {
      const [fromPath, fromBytes] = await Promise.all([
        readVideoMetadata(pathOf(entry), options),
        readVideoMetadata(await readFile(pathOf(entry)), options),
      ]);
      expect(fromBytes, entry.SourceFile).toEqual(fromPath);
    }
  });
});

describe('the QuickTime/MP4 reader on hostile files', () => {
  const real = readFileSync(join(REAL_MEDIA_DIR, 'videos/photoprism_video__quicktime-hvc1.mov'));

  it('refuses a file cut before its index with a reason, and a file that is no video at all', async () => {
    await expect(readVideoMetadata(real.subarray(0, 100_000))).rejects.toThrow(/no index|cut off|truncated/);
    await expect(readVideoMetadata(Buffer.from('not a video, just text'))).rejects.toBeInstanceOf(VideoStructureError);
    await expect(readVideoMetadata(Buffer.alloc(0))).rejects.toBeInstanceOf(VideoStructureError);
  });

  it('refuses an index claiming more than the 64 MB limit without reading it', async () => {
    const header = Buffer.alloc(16);
    header.writeUInt32BE(1, 0);
    header.write('moov', 4, 'latin1');
    header.writeBigUInt64BE(BigInt(MAX_MOOV_BYTES + 17), 8);
    let asked = 0;
    const file = {
      size: MAX_MOOV_BYTES + 100,
      read: async (offset: number, length: number) => {
        asked += length;
        return offset === 0 ? header.subarray(0, length) : Buffer.alloc(Math.min(length, 16));
      },
      close: async () => {},
    };
    await expect(readQuickTimeMovie(file)).rejects.toThrow(/larger than 64 MB/);
    expect(asked).toBeLessThan(1024);
  });

  it('never reads outside the file and never hangs on 2,000 randomly damaged copies of a real index', async () => {
    const moovAt = real.indexOf('moov', 0, 'latin1') - 4;
    let seed = 7;
    const random = () => {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    for (let i = 0; i < 2000; i += 1) {
      const copy = Buffer.from(real);
      for (let flips = 0; flips < 8; flips += 1) copy[moovAt + Math.floor(random() * (copy.length - moovAt))] = Math.floor(random() * 256);
      const file = await randomAccess(copy);
      await readQuickTimeMovie(file).then(
        () => undefined,
        (error: unknown) => expect(error).toBeInstanceOf(VideoStructureError),
      );
    }
  });
});

describe('ISO 6709 positions', () => {
  it('reads decimal degrees, degrees and minutes, and degrees, minutes and seconds', () => {
    expect(parseIso6709('+52.4597+013.3220+051.178/')).toEqual({ latitude: 52.4597, longitude: 13.322 });
    expect(parseIso6709('-3354.5+15112.5/')).toEqual({ latitude: -(33 + 54.5 / 60), longitude: 151 + 12.5 / 60 });
    expect(parseIso6709('+401213-0753015/')).toEqual({ latitude: 40 + 12 / 60 + 13 / 3600, longitude: -(75 + 30 / 60 + 15 / 3600) });
    expect(parseIso6709('somewhere')).toBeNull();
  });
});
