import { describe, expect, it } from 'vitest';
import { normaliseName, normaliseText } from './text-normalise.js';

describe('normaliseName', () => {
  it('removes zero-width characters, so a name cannot be made twice by an invisible difference', () => {
    expect(normaliseName('Radio\u200Bhead')).toBe('Radiohead');
    expect(normaliseName('\uFEFFRadio\u200C\u200D\u2060head\u00AD')).toBe('Radiohead');
  });

  it('removes bidi marks, embeddings, overrides and isolates', () => {
    expect(normaliseName('Paradiso \u202Eosidarap\u202C')).toBe('Paradiso osidarap');
    expect(normaliseName('\u2066A\u2069 \u2067B\u2069 \u2068C\u2069 \u200E\u200F\u061C\u202A\u202B\u202D')).toBe('A B C');
  });

  it('turns control characters and line breaks into single spaces and trims', () => {
    expect(normaliseName('  The\tNational\r\n\u0000live \u0007 \u2028 at\u0085home  ')).toBe('The National live at home');
  });

  it('composes to NFC, so one name has one spelling', () => {
    expect(normaliseName('Beyonce\u0301')).toBe('Beyonc\u00E9');
    expect(normaliseName('Mo\u0308tley Cru\u200B\u0308e')).toBe('M\u00F6tley Cr\u00FCe');
  });

  it('removes invisible tag characters and lone surrogates', () => {
    expect(normaliseName('Band\u{E0041}\u{E0042}\uD800')).toBe('Band');
  });

  it('leaves ordinary names of every script alone', () => {
    for (const name of ['Sigur Rós', 'Мумий Тролль', '坂本龍一', 'فيروز', 'Björk & Friends', "Guns N' Roses"]) expect(normaliseName(name)).toBe(name);
  });

  it('leaves nothing of a name made only of invisible characters', () => {
    expect(normaliseName('\u200B\u202E\u2066 \t')).toBe('');
  });
});

describe('normaliseText', () => {
  it('keeps line breaks but removes invisible and control characters', () => {
    expect(normaliseText('First line\u202E\r\nsecond\u0000 line\u200B\n\n\n\nlast\t')).toBe('First line\nsecond  line\n\nlast');
  });
});
