import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { heicWithContentIdentifier, movWithContentIdentifier } from '../../tests/fixtures/real-media/live-photo-pair.js';
import { REAL_MEDIA_DIR } from '../../tests/fixtures/real-media/truth.js';
import { analyzeImage } from './image-analysis.js';
import { readContentIdentifier } from './live-photo.js';
import { readVideoMetadata } from './video-metadata.js';

const ID = '6E1B1F5C-2A0D-4C8E-9D3B-7F2A5C9E1D40';

describe("a Live Photo's content identifier", () => {
  it('is read from the HEIC’s Apple MakerNote and the MOV’s QuickTime keys of a pair built from real iPhone and iPad files', async () => {
    const heic = heicWithContentIdentifier(await readFile(join(REAL_MEDIA_DIR, 'photoprism/ex__iphone_15_pro.heic')), ID);
    const mov = movWithContentIdentifier(await readFile(join(REAL_MEDIA_DIR, 'videos/photoprism_video__quicktime-hvc1.mov')), ID);
    expect(await readContentIdentifier(heic)).toBe(ID);
    expect((await readVideoMetadata(mov)).contentIdentifier).toBe(ID);
    // The rest of the files is the devices' own: the HEIC still decodes, the MOV keeps its date.
    expect(await analyzeImage(heic)).toMatchObject({ format: 'heic', width: 3024, height: 4032 });
    expect((await readVideoMetadata(mov)).takenAt).toEqual(new Date('2023-09-22T16:34:05Z'));
  });

  it('is absent from real photos that are not Live Photos, and from non-Apple files', async () => {
    for (const path of ['photoprism/ex__iphone_15_pro.heic', 'exifr/heic-iphone7.heic', 'exifr/issue-exifr-59.jpg']) {
      expect(await readContentIdentifier(join(REAL_MEDIA_DIR, path)), path).toBeNull();
    }
    expect((await readVideoMetadata(join(REAL_MEDIA_DIR, 'videos/photoprism_video__quicktime-hvc1.mov'))).contentIdentifier).toBeNull();
  });
});
