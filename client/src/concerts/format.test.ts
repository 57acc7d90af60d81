import { describe, expect, it } from 'vitest';
import { concertYear, formatConcertDate, openStreetMapUrl, placeLine } from './format.js';

describe('concert formatting', () => {
  it('shows the evening date as stored, whatever zone the browser is in', () => {
    // 2014-03-21 at midnight UTC is still 20 March in New York: the date must not follow the zone.
    const date = formatConcertDate('2014-03-21', { locale: 'en-US' });
    expect(date).toBe('Fri, Mar 21, 2014');
    expect(formatConcertDate('2012-01-01', { locale: 'en-GB', weekday: false })).toBe('1 Jan 2012');
  });

  it('leaves a date it cannot read as it is', () => {
    expect(formatConcertDate('soon')).toBe('soon');
    expect(concertYear('soon')).toBeNull();
    expect(concertYear('2019-07-05')).toBe(2019);
  });

  it('names the city and the country, either of which may be missing', () => {
    expect(placeLine('Amsterdam', 'NL', 'en')).toBe('Amsterdam, Netherlands');
    expect(placeLine(null, 'gb', 'en')).toBe('United Kingdom');
    expect(placeLine('Paris', null)).toBe('Paris');
    expect(placeLine(null, null)).toBeNull();
  });

  it('links to the venue on OpenStreetMap at street level', () => {
    expect(openStreetMapUrl(52.3622, 4.884)).toBe('https://www.openstreetmap.org/?mlat=52.36220&mlon=4.88400#map=17/52.36220/4.88400');
  });
});
