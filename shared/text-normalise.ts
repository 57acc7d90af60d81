/**
 * Names that other people will read (artists, venues, cities, tours, songs) in one
 * spelling: Unicode NFC, without characters that hide or reorder text. Zero-width
 * characters make "Radiohead" and "Radio\u200Bhead" two artists; bidi overrides make a
 * name display as something else than it is ("moc.evil" shown as "live.com");
 * control characters break CSV cells, logs and layouts. Applied at every door a
 * name comes in by: user input (the zod schemas) and setlist.fm / OpenStreetMap answers.
 */

/**
 * Invisible format characters: zero-width spaces and joiners, word joiner, BOM, soft
 * hyphen, bidi marks, embeddings, overrides and isolates, tag characters, variation
 * selectors, Hangul fillers; and lone surrogates, which the database cannot store.
 */
const INVISIBLE = /[\p{Cf}\p{Default_Ignorable_Code_Point}\p{Cs}]/gu;
/** Control characters and line or paragraph separators: each stands for a space in a one-line name. */
const BREAKING = /[\p{Cc}\p{Zl}\p{Zp}]/gu;

/** One line: NFC, invisible characters removed, controls as spaces, runs of white space as one, trimmed. */
export function normaliseName(text: string): string {
  return text.normalize('NFC').replace(BREAKING, ' ').replace(INVISIBLE, '').replace(/\s+/gu, ' ').trim().normalize('NFC');
}

/** Free text over several lines (notes): the same, but line breaks stay (at most two in a row) and lines keep their indent. */
export function normaliseText(text: string): string {
  return text
    .normalize('NFC')
    .replace(/\r\n?/g, '\n')
    .replace(BREAKING, (char) => (char === '\n' || char === '\t' ? char : char === '\u2028' || char === '\u2029' ? '\n' : ' '))
    .replace(INVISIBLE, '')
    .replace(/[ \t]+$/gmu, '')
    .replace(/\n{3,}/g, '\n\n')
    .trim()
    .normalize('NFC');
}

/** A normalised name cut to at most `max` characters (code points, as the database counts them), never half a pair. */
export function clippedName(text: string, max = 255): string {
  const name = normaliseName(text);
  return name.length <= max ? name : Array.from(name).slice(0, max).join('').trim();
}
