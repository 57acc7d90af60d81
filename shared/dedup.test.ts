import { describe, expect, it } from 'vitest';
import { classifyPair, classifyPhotos, DEFAULT_DEDUP_THRESHOLDS, pickBestPhoto, type PhotoPair } from './dedup.js';

const at = (iso: string) => new Date(iso);
const pair = (overrides: Partial<PhotoPair>): PhotoPair => ({
  distance: 4,
  contentHashEqual: false,
  takenAtA: at('2019-07-05T21:34:56.000Z'),
  takenAtB: at('2019-07-05T21:34:56.000Z'),
  ...overrides,
});

describe('classifyPair', () => {
  it('calls photos with the same bytes exact, whatever their hashes or dates', () => {
    expect(classifyPair(pair({ contentHashEqual: true, distance: 40, takenAtB: at('2001-01-01T00:00:00Z') }))).toBe('exact');
    expect(classifyPair(pair({ contentHashEqual: true, distance: null }))).toBe('exact');
  });

  it('calls a similar photo with the same capture time a near duplicate', () => {
    expect(classifyPair(pair({ distance: 0 }))).toBe('near');
    expect(classifyPair(pair({ distance: DEFAULT_DEDUP_THRESHOLDS.nearThreshold }))).toBe('near');
  });

  it('calls a similar photo a near duplicate when either capture time is missing', () => {
    expect(classifyPair(pair({ takenAtA: null }))).toBe('near');
    expect(classifyPair(pair({ takenAtA: null, takenAtB: null }))).toBe('near');
  });

  it('does not pair photos that look different', () => {
    expect(classifyPair(pair({ distance: DEFAULT_DEDUP_THRESHOLDS.nearThreshold + 1 }))).toBeNull();
    expect(classifyPair(pair({ distance: 30, takenAtA: null }))).toBeNull();
    expect(classifyPair(pair({ distance: null }))).toBeNull();
  });

  it('calls similar photos taken seconds apart a burst', () => {
    expect(classifyPair(pair({ takenAtB: at('2019-07-05T21:34:57.000Z') }))).toBe('burst');
    expect(classifyPair(pair({ takenAtB: at('2019-07-05T21:35:06.000Z') }))).toBe('burst');
    expect(classifyPair(pair({ distance: 0, takenAtB: at('2019-07-05T21:34:53.000Z') }))).toBe('burst');
  });

  it('calls frames a fraction of a second apart a burst when both times have sub-seconds', () => {
    expect(classifyPair(pair({ takenAtA: at('2019-07-05T21:34:56.120Z'), takenAtB: at('2019-07-05T21:34:56.370Z') }))).toBe('burst');
  });

  it('treats a copy that lost its sub-seconds as taken at the same moment', () => {
    expect(classifyPair(pair({ takenAtA: at('2019-07-05T21:34:56.120Z'), takenAtB: at('2019-07-05T21:34:56.000Z') }))).toBe('near');
  });

  it('does not pair similar shots of one show taken minutes apart', () => {
    expect(classifyPair(pair({ distance: 8, takenAtB: at('2019-07-05T21:44:56.000Z') }))).toBeNull();
    expect(classifyPair(pair({ distance: 4, takenAtB: at('2019-07-05T21:35:07.000Z') }))).toBeNull();
  });

  it('still pairs all but identical pixels whose dates disagree, as one picture with a rewritten date', () => {
    expect(classifyPair(pair({ distance: 2, takenAtB: at('2020-01-01T00:00:00.000Z') }))).toBe('near');
    expect(classifyPair(pair({ distance: 0, takenAtB: at('2019-07-05T23:34:56.000Z') }))).toBe('near');
  });

  it('takes custom thresholds', () => {
    const minuteApart = pair({ distance: 6, takenAtB: at('2019-07-05T21:35:56.000Z') });
    expect(classifyPair(minuteApart)).toBeNull();
    expect(classifyPair(minuteApart, { burstWindowSeconds: 60 })).toBe('burst');
    expect(classifyPair(pair({ distance: 6 }), { nearThreshold: 4 })).toBeNull();
  });
});

describe('classifyPhotos', () => {
  it('computes the distance and the content-hash equality from the photos', () => {
    const a = { contentHash: 'aa', perceptualHash: 0b1011n, takenAt: at('2019-07-05T21:34:56Z') };
    expect(classifyPhotos(a, { ...a })).toBe('exact');
    expect(classifyPhotos(a, { ...a, contentHash: 'bb', perceptualHash: 0b0000n })).toBe('near');
    expect(classifyPhotos(a, { ...a, contentHash: 'bb', perceptualHash: 0xffffn })).toBeNull();
    expect(classifyPhotos(a, { ...a, contentHash: 'bb', perceptualHash: null })).toBeNull();
  });

  it('never treats two photos without a content hash as exact copies', () => {
    const a = { contentHash: null, perceptualHash: null, takenAt: null };
    expect(classifyPhotos(a, { ...a })).toBeNull();
  });
});

describe('pickBestPhoto', () => {
  it('keeps the copy with the most pixels', () => {
    expect(
      pickBestPhoto([
        { id: 1, width: 800, height: 600, byteSize: 900_000 },
        { id: 2, width: 1600, height: 1200, byteSize: 400_000 },
        { id: 3, width: 1200, height: 900, byteSize: 500_000 },
      ]),
    ).toBe(2);
  });

  it('prefers the larger file among copies of the same size, then the oldest row', () => {
    expect(
      pickBestPhoto([
        { id: 5, width: 1600, height: 1200, byteSize: 300_000 },
        { id: 6, width: 1600, height: 1200, byteSize: 700_000 },
      ]),
    ).toBe(6);
    expect(
      pickBestPhoto([
        { id: 9, width: 1600, height: 1200, byteSize: 700_000 },
        { id: 4, width: 1600, height: 1200, byteSize: 700_000 },
        { id: 7, width: 1600, height: 1200, byteSize: 700_000 },
      ]),
    ).toBe(4);
  });

  it('ranks unknown sizes last', () => {
    expect(
      pickBestPhoto([
        { id: 1, width: null, height: null, byteSize: null },
        { id: 2, width: 10, height: 10, byteSize: 1 },
      ]),
    ).toBe(2);
  });

  it('refuses an empty list', () => {
    expect(() => pickBestPhoto([])).toThrow(RangeError);
  });
});
