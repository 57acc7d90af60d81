import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { animatedGif, svgDrawing, textFileNamedJpeg, undecodableHeic } from '../../tests/support/images.js';
import { sniffImageFormat } from './image-format.js';

const tiny = () => sharp({ create: { width: 8, height: 8, channels: 3, background: '#123456' } });

describe('sniffImageFormat', () => {
  it('recognises the photo formats from their first bytes', async () => {
    expect(sniffImageFormat(await tiny().jpeg().toBuffer())).toBe('jpeg');
    expect(sniffImageFormat(await tiny().png().toBuffer())).toBe('png');
    expect(sniffImageFormat(await tiny().webp().toBuffer())).toBe('webp');
    expect(sniffImageFormat(await tiny().tiff().toBuffer())).toBe('tiff');
    expect(sniffImageFormat(await tiny().avif({ effort: 0 }).toBuffer())).toBe('avif');
    expect(sniffImageFormat(undecodableHeic())).toBe('heic');
  });

  it('recognises the formats that are refused', async () => {
    expect(sniffImageFormat(await animatedGif())).toBe('gif');
    expect(sniffImageFormat(svgDrawing())).toBe('svg');
    expect(sniffImageFormat(Buffer.from('\uFEFF  <svg xmlns="http://www.w3.org/2000/svg"/>'))).toBe('svg');
  });

  it('does not mistake other files for images', () => {
    expect(sniffImageFormat(textFileNamedJpeg())).toBe('unknown');
    expect(sniffImageFormat(Buffer.from('<?xml version="1.0"?><note>not a drawing</note>'))).toBe('unknown');
    expect(sniffImageFormat(Buffer.from([0xff, 0xd8]))).toBe('unknown');
    expect(sniffImageFormat(Buffer.alloc(0))).toBe('unknown');
  });
});
