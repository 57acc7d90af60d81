import { describe, expect, it } from 'vitest';
import { drawableText, findBookFonts, isWinAnsi, glyphsOf } from './pdf-fonts.js';

describe('the concert book fonts', () => {
  it('takes DejaVu Sans from the first folder that has both weights, else the standard Helvetica', () => {
    const present = new Set(['/b/DejaVuSans.ttf', '/c/DejaVuSans.ttf', '/c/DejaVuSans-Bold.ttf']);
    expect(findBookFonts(['/a', '/b', '/c'], (path) => present.has(path))).toEqual({
      regular: '/c/DejaVuSans.ttf',
      bold: '/c/DejaVuSans-Bold.ttf',
      embedded: true,
    });
    expect(findBookFonts(['/a'], () => false)).toEqual({ regular: 'Helvetica', bold: 'Helvetica-Bold', embedded: false });
  });

  it('knows which letters WinAnsi (the standard fonts) can show', () => {
    expect([...'Björk – Sigur Rós €…'].every((char) => isWinAnsi(char.codePointAt(0)!))).toBe(true);
    expect(isWinAnsi('Ж'.codePointAt(0)!)).toBe(false);
    expect(isWinAnsi('東'.codePointAt(0)!)).toBe(false);
    expect(isWinAnsi(0x81)).toBe(false);
  });

  it('replaces what the font cannot draw with "?", drops control characters and keeps line breaks only where asked', () => {
    expect(drawableText('Мумий Тролль, Café', isWinAnsi)).toBe('????? ??????, Café');
    // A decomposed "é" (e + combining accent) is composed first, so a font with "é" draws it.
    expect(drawableText('Cafe\u0301', isWinAnsi)).toBe('Café');
    expect(drawableText('one\ntwo\tthree\u0007', isWinAnsi)).toBe('one two three ');
    expect(drawableText('one\ntwo', isWinAnsi, { lines: true })).toBe('one\ntwo');
    // An emoji is one code point of two UTF-16 units: one "?".
    expect(drawableText('Encore 🎸', isWinAnsi)).toBe('Encore ?');
  });

  const dejavu = findBookFonts();
  it.skipIf(!dejavu.embedded)("reads the embedded font's own coverage: Cyrillic and Greek yes, Japanese no", () => {
    const canDraw = glyphsOf(dejavu.regular);
    expect(drawableText('Земфира · Ωmega · 東京', canDraw)).toBe('Земфира · Ωmega · ??');
  });
});
