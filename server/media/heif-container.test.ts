import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { heifRotation, isHeif, realFiles } from '../../tests/fixtures/real-media/truth.js';
import { HeifContainerError, readHeifPrimaryImage } from './heif-container.js';
import { rotateClockwise } from './image-orientation.js';

/** A box: 32-bit size, four-letter type, payload. */
const box = (type: string, ...payload: Buffer[]) => {
  const body = Buffer.concat(payload);
  const header = Buffer.alloc(8);
  header.writeUInt32BE(8 + body.length, 0);
  header.write(type, 4, 'latin1');
  return Buffer.concat([header, body]);
};
const fullBox = (type: string, version: number, flags: number, ...payload: Buffer[]) => {
  const versionAndFlags = Buffer.alloc(4);
  versionAndFlags.writeUInt32BE(((version << 24) | flags) >>> 0, 0);
  return box(type, versionAndFlags, ...payload);
};
const u8 = (...values: number[]) => Buffer.from(values);
const u16 = (value: number) => Buffer.from([value >> 8, value & 0xff]);
const u32 = (value: number) => {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(value, 0);
  return b;
};

/** A HEIF whose primary item 1 has the given properties (ispe first), as a camera would write the meta box. */
function heifWith(properties: Buffer[], primary = 1) {
  const ipco = box('ipco', ...properties);
  const associations = properties.map((_, i) => 0x80 | (i + 1));
  const ipma = fullBox('ipma', 0, 0, u32(2), u16(2), u8(1, 0x81), u16(1), u8(associations.length, ...associations));
  const meta = fullBox('meta', 0, 0, fullBox('pitm', 0, 0, u16(primary)), box('iprp', ipco, ipma));
  return Buffer.concat([box('ftyp', Buffer.from('heic\0\0\0\0mif1heic', 'latin1')), meta, box('mdat', Buffer.alloc(16))]);
}
const ispe = (width: number, height: number) => fullBox('ispe', 0, 0, u32(width), u32(height));

describe('reading the primary image of a HEIF file', () => {
  it("reads every real HEIC's coded size and rotation as ExifTool does", async () => {
    const heifs = realFiles.filter(isHeif);
    expect(heifs).toHaveLength(14);
    for (const file of heifs) {
      const image = readHeifPrimaryImage(await readFile(file.absolutePath));
      expect({ width: image.width, height: image.height }, file.path).toEqual({
        width: file.tags['File:ImageWidth'],
        height: file.tags['File:ImageHeight'],
      });
      // ExifTool reports irot as the file stores it, anticlockwise degrees.
      expect(image.transform, file.path).toEqual(rotateClockwise((4 - (heifRotation(file) ?? 0) / 90) % 4));
    }
  });

  it('combines rotation and mirror in the order the file lists them, for the primary item only', () => {
    const irot = (anticlockwise: number) => box('irot', u8(anticlockwise));
    const imir = (axis: number) => box('imir', u8(axis));
    expect(readHeifPrimaryImage(heifWith([ispe(4032, 3024), irot(3)]))).toEqual({
      width: 4032,
      height: 3024,
      transform: rotateClockwise(1),
      hasTransform: true,
    });
    expect(readHeifPrimaryImage(heifWith([ispe(10, 20), imir(0)])).transform).toEqual({ mirror: true, quarterTurns: 0 });
    expect(readHeifPrimaryImage(heifWith([ispe(10, 20), imir(1)])).transform).toEqual({ mirror: true, quarterTurns: 2 });
    // A quarter turn clockwise, then a left–right mirror: EXIF orientation 5's transform.
    expect(readHeifPrimaryImage(heifWith([ispe(10, 20), irot(3), imir(0)])).transform).toEqual({ mirror: true, quarterTurns: 3 });
    // Item 2 has only the ispe: its own properties, not item 1's.
    expect(readHeifPrimaryImage(heifWith([ispe(10, 20), irot(1)], 2))).toEqual({
      width: 10,
      height: 20,
      transform: rotateClockwise(0),
      hasTransform: false,
    });
  });

  it('refuses a file without a primary image or its size, and a box that runs past the end', () => {
    expect(() => readHeifPrimaryImage(heifWith([irotOnly()]))).toThrow(HeifContainerError);
    expect(() => readHeifPrimaryImage(box('ftyp', Buffer.from('heic\0\0\0\0', 'latin1')))).toThrow(/no meta box/);
    const whole = heifWith([ispe(10, 20)]);
    expect(() => readHeifPrimaryImage(whole.subarray(0, whole.length - 40))).toThrow(/runs past the end/);
  });
});

function irotOnly() {
  return box('irot', u8(1));
}
