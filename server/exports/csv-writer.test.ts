import { describe, expect, it } from 'vitest';
import { csvCell, csvLine } from './csv-writer.js';

describe('the CSV writer', () => {
  it('leaves plain text and numbers as they are and writes nothing for a missing value', () => {
    expect(csvLine(['Paradiso', 12, null, undefined, ''])).toBe('Paradiso,12,,,\r\n');
  });

  it('quotes fields with commas, quotes or line breaks and doubles the quotes', () => {
    expect(csvCell('Amsterdam, NL')).toBe('"Amsterdam, NL"');
    expect(csvCell('the "Big" show')).toBe('"the ""Big"" show"');
    expect(csvCell('line one\nline two')).toBe('"line one\nline two"');
    expect(csvCell('cr\r\nlf')).toBe('"cr\r\nlf"');
  });

  it('defuses cells a spreadsheet would run as a formula', () => {
    expect(csvCell('=HYPERLINK("http://evil.example","x")')).toBe('"\'=HYPERLINK(""http://evil.example"",""x"")"');
    expect(csvCell('+44 Band')).toBe("'+44 Band");
    expect(csvCell('-5')).toBe("'-5");
    expect(csvCell('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvCell('\t=1')).toBe("'\t=1");
    expect(csvCell('a=b')).toBe('a=b');
    expect(csvCell(-5)).toBe('-5');
  });
});
