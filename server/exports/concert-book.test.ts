import { describe, expect, it } from 'vitest';
import { bookDate, setlistLines } from './concert-book.js';
import { exportFileName } from './export-files.js';

describe('the concert book page', () => {
  it('writes the evening date as a calendar date, whatever the time zone of the worker', () => {
    expect(bookDate('2018-03-02')).toBe('Friday, 2 March 2018');
    expect(bookDate('2019-12-31')).toBe('Tuesday, 31 December 2019');
  });

  it('numbers the songs played live across sets, marks tape and covers, and names sets and encores', () => {
    expect(
      setlistLines([
        { songs: [{ name: 'Intro', tape: true }, { name: 'Anthrocene' }, { name: 'Jesus Alone' }] },
        { songs: [{ name: 'Red Right Hand' }] },
        { encore: 1, songs: [{ name: 'Into My Arms' }, { name: 'Cosmic Dancer', coverOf: 'T. Rex' }] },
        { encore: 2, songs: [{ name: 'Push the Sky Away' }] },
        { name: 'Acoustic', songs: [{ name: 'Waiting for You' }, { name: 'Outro', tape: true }] },
      ]),
    ).toEqual([
      '– Intro (tape)',
      '1. Anthrocene',
      '2. Jesus Alone',
      'Set 2:',
      '3. Red Right Hand',
      'Encore:',
      '4. Into My Arms',
      '5. Cosmic Dancer (T. Rex cover)',
      'Encore 2:',
      '6. Push the Sky Away',
      'Acoustic:',
      '7. Waiting for You',
      '– Outro (tape)',
    ]);
    expect(setlistLines([])).toEqual([]);
  });

  it('names the downloads after the day the export was made', () => {
    const day = new Date('2024-05-01T23:30:00Z');
    expect(exportFileName('csv', day)).toBe('concert-history-2024-05-01.csv');
    expect(exportFileName('json', day)).toBe('concert-history-2024-05-01.json');
    expect(exportFileName('pdf', day)).toBe('concert-book-2024-05-01.pdf');
  });
});
