import { open } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { REAL_MEDIA_DIR } from '../../tests/fixtures/real-media/truth.js';
import { POSTER_MAX_SIZE, posterFrame, PosterFrameError } from './poster-frame.js';

const video = (name: string) => join(REAL_MEDIA_DIR, 'videos', name);
const options = { timeoutMs: 60_000 };

describe('a poster frame by ffmpeg (Debian’s, installed by scripts/ensure-ffmpeg.sh)', () => {
  it('decodes a real iPad HEVC MOV upright: portrait, as its rotation asks', async () => {
    const png = await posterFrame(video('photoprism_video__quicktime-hvc1.mov'), 1.17, options);
    const metadata = await sharp(png).metadata();
    expect(metadata).toMatchObject({ format: 'png', width: 720, height: 1280 });
    const { channels } = await sharp(png).stats();
    expect(Math.max(...channels.map((channel) => channel.stdev))).toBeGreaterThan(8);
  });

  it('reads a file this process holds open through /proc/self/fd, handed to ffmpeg as its own descriptor', async () => {
    const handle = await open(video('photoprism_ex__earth.mov'), 'r');
    try {
      const png = await posterFrame(`/proc/self/fd/${handle.fd}`, 30.5, options);
      expect(await sharp(png).metadata()).toMatchObject({ width: 480, height: 270 });
    } finally {
      await handle.close();
    }
    expect(POSTER_MAX_SIZE).toBe(2048);
  });

  it('says why there is no frame: a QuickTime whose pictures are in another file (never followed), ffmpeg missing, too slow, not a video', async () => {
    await expect(posterFrame(video('photoprism_video__quicktime-jpeg.mov'), 41, options)).rejects.toThrow(/could not decode/);
    await expect(
      posterFrame(video('photoprism_ex__earth.mov'), 30, { ...options, ffmpegPath: 'ffmpeg-that-is-not-installed' }),
    ).rejects.toMatchObject({
      reason: 'ffmpeg is not installed',
    });
    await expect(posterFrame(video('photoprism_ex__earth.mov'), 30, { timeoutMs: 1 })).rejects.toThrow(/took longer than/);
    const error = await posterFrame('/etc/hostname', 1, options).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PosterFrameError);
    // ffmpeg's message, without the server's paths.
    expect((error as Error).message).not.toContain('/etc/');
  });
});
