import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REAL_MEDIA_DIR } from '../../tests/fixtures/real-media/truth.js';
import { sniffVideoFormat } from './video-format.js';

describe('a video by its content', () => {
  it('recognises every real MOV and MP4, and no real HEIC, AVIF or JPEG', async () => {
    for (const name of await readdir(join(REAL_MEDIA_DIR, 'videos'))) {
      const head = (await readFile(join(REAL_MEDIA_DIR, 'videos', name))).subarray(0, 4096);
      expect(sniffVideoFormat(head), name).toBe(name.endsWith('.mov') ? 'mov' : 'mp4');
    }
    for (const path of ['photoprism/ex__iphone_15_pro.heic', 'exif-samples/heic_mobile_HMD_Nokia_8.3_5G.heif', 'photoprism/pp__wrong.heic']) {
      expect(sniffVideoFormat((await readFile(join(REAL_MEDIA_DIR, path))).subarray(0, 4096)), path).toBeNull();
    }
    expect(sniffVideoFormat(Buffer.from('ftyp text that is not a video at all'))).toBeNull();
  });
});
