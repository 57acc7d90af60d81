import { existsSync } from 'node:fs';
import { openSync } from 'fontkit';

/**
 * The concert book's typeface. PDF's standard Helvetica only knows WinAnsi (about
 * Latin-1), so names in Cyrillic, Greek, Turkish or Polish would come out wrong:
 * DejaVu Sans, embedded (subset), covers them. It is looked for where Linux
 * distributions install it (Debian/Ubuntu: `fonts-dejavu-core`); without it the
 * book falls back to Helvetica and shows the letters it cannot draw as "?".
 */
export interface BookFonts {
  regular: string;
  bold: string;
  /** True for an embedded TrueType font, false for the standard Helvetica. */
  embedded: boolean;
}

const DEJAVU_DIRS = ['/usr/share/fonts/truetype/dejavu', '/usr/share/fonts/TTF', '/usr/share/fonts/dejavu', '/usr/share/fonts/truetype'];

export function findBookFonts(dirs: readonly string[] = DEJAVU_DIRS, exists: (path: string) => boolean = existsSync): BookFonts {
  for (const dir of dirs) {
    const regular = `${dir}/DejaVuSans.ttf`;
    const bold = `${dir}/DejaVuSans-Bold.ttf`;
    if (exists(regular) && exists(bold)) return { regular, bold, embedded: true };
  }
  return { regular: 'Helvetica', bold: 'Helvetica-Bold', embedded: false };
}

/** Code points WinAnsiEncoding has besides Latin-1 (its 0x80–0x9f range). */
const WIN_ANSI_EXTRAS = new Set([...'€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ'].map((char) => char.codePointAt(0)!));

export function isWinAnsi(codePoint: number): boolean {
  return (codePoint >= 0x20 && codePoint <= 0x7e) || (codePoint >= 0xa0 && codePoint <= 0xff) || WIN_ANSI_EXTRAS.has(codePoint);
}

/**
 * Text the font can draw: composed (NFC, so "é" is one glyph), control characters
 * gone (a line break stays when `lines`), and every character the font has no glyph
 * for replaced by "?", rather than an empty box or a wrong letter.
 */
export function drawableText(text: string, canDraw: (codePoint: number) => boolean, { lines = false } = {}): string {
  let out = '';
  for (const char of text.normalize('NFC')) {
    const codePoint = char.codePointAt(0)!;
    if (char === '\n' && lines) out += '\n';
    else if (codePoint < 0x20 || (codePoint >= 0x7f && codePoint < 0xa0)) out += ' ';
    else out += canDraw(codePoint) ? char : '?';
  }
  return out;
}

/** Which code points an embedded TrueType font has glyphs for, read with fontkit (the font engine pdfkit embeds it with). */
export function glyphsOf(fontPath: string): (codePoint: number) => boolean {
  const font = openSync(fontPath);
  // A collection (.ttc): pdfkit would take its first face.
  const face = 'fonts' in font ? font.fonts[0] : font;
  return (codePoint) => face?.hasGlyphForCodePoint(codePoint) ?? false;
}
