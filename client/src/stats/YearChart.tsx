import { useLayoutEffect, useRef, useState, type RefObject } from 'react';
import { formatCount, plural } from '../lib/format.js';

interface YearCount {
  year: number;
  count: number;
}

/** In CSS pixels: the chart is drawn at the size it is shown, so its text stays legible on a phone. */
const HEIGHT = 220;
const TOP = 22;
const BOTTOM = 28;
const LEFT = 30;
/** Narrower than this per year, the chart scrolls sideways instead of squeezing. */
const MIN_SLOT = 26;
/** Room a year label needs ("2016"). */
const LABEL_ROOM = 44;

/**
 * Concerts per year as bars, in inline SVG (no chart library). Assistive technology
 * gets a one-line summary on the image and every figure in the table after it.
 */
export function YearChart({ years }: { years: readonly YearCount[] }) {
  const frameRef = useRef<HTMLDivElement>(null);
  const scrollRef = useRef<HTMLDivElement>(null);
  const width = useWidth(frameRef);
  const n = years.length;
  const chartWidth = Math.max(width, LEFT + n * MIN_SLOT);
  const scrolls = width > 0 && chartWidth > width;

  // A long history opens on its latest years.
  // biome-ignore lint/correctness/useExhaustiveDependencies: n is a trigger: a different number of years changes the scroll width, so it scrolls to the latest again.
  useLayoutEffect(() => {
    const scroller = scrollRef.current;
    if (scrolls && scroller) scroller.scrollLeft = scroller.scrollWidth;
  }, [scrolls, n]);

  if (!n) return null;
  const best = years.reduce((top, year) => (year.count > top.count ? year : top));
  const first = years[0]!.year;
  const last = years[n - 1]!.year;
  const summary =
    n === 1
      ? `Bar chart of concerts per year: ${plural(best.count, 'concert')}, all in ${first}.`
      : `Bar chart of concerts per year, ${first} to ${last}; the most in ${best.year}, with ${plural(best.count, 'concert')}.`;

  return (
    <div className="stats-chart">
      <div className="stats-chart__frame" ref={frameRef}>
        {/* biome-ignore lint/a11y/useAriaPropsSupportedByRole: aria-label is only set together with role="region", which supports it. */}
        <div
          className="stats-chart__scroll"
          ref={scrollRef}
          // A chart wider than the screen scrolls; the keyboard must reach it to scroll it.
          tabIndex={scrolls ? 0 : undefined}
          role={scrolls ? 'region' : undefined}
          aria-label={scrolls ? 'Concerts per year, scrolls sideways' : undefined}
        >
          {width > 0 && <Bars years={years} width={chartWidth} label={summary} />}
        </div>
      </div>
      <table className="visually-hidden">
        <caption>Concerts per year</caption>
        <thead>
          <tr>
            <th scope="col">Year</th>
            <th scope="col">Concerts</th>
          </tr>
        </thead>
        <tbody>
          {years.map((year) => (
            <tr key={year.year}>
              <th scope="row">{year.year}</th>
              <td>{formatCount(year.count)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function Bars({ years, width, label }: { years: readonly YearCount[]; width: number; label: string }) {
  const n = years.length;
  const max = Math.max(1, ...years.map((year) => year.count));
  const ticks = gridTicks(max);
  const top = ticks.at(-1)!;
  const plotHeight = HEIGHT - TOP - BOTTOM;
  const slot = (width - LEFT) / n;
  const barWidth = Math.max(4, Math.min(slot * 0.68, 64));
  const labelEvery = Math.max(1, Math.ceil(LABEL_ROOM / slot));
  const y = (count: number) => TOP + plotHeight - (count / top) * plotHeight;

  return (
    <svg
      className="stats-chart__svg"
      role="img"
      aria-label={label}
      width={width}
      height={HEIGHT}
      viewBox={`0 0 ${width} ${HEIGHT}`}
      data-testid="year-chart"
    >
      {ticks.map((tick) => (
        <g key={tick}>
          <line className={tick === 0 ? 'stats-chart__axis' : 'stats-chart__grid'} x1={LEFT} x2={width} y1={y(tick)} y2={y(tick)} />
          <text className="stats-chart__tick" x={LEFT - 6} y={y(tick)} dy="0.32em" textAnchor="end">
            {formatCount(tick)}
          </text>
        </g>
      ))}
      {years.map((year, i) => {
        const centre = LEFT + slot * (i + 0.5);
        const barTop = y(year.count);
        // Years are labelled counting back from the latest, which is always shown.
        const labelled = (n - 1 - i) % labelEvery === 0;
        return (
          <g key={year.year} data-year={year.year} data-count={year.count}>
            {year.count > 0 && (
              <rect
                className="stats-chart__bar"
                x={centre - barWidth / 2}
                y={barTop}
                width={barWidth}
                height={TOP + plotHeight - barTop}
                rx={Math.min(4, barWidth / 4)}
              >
                <title>{`${year.year}: ${plural(year.count, 'concert')}`}</title>
              </rect>
            )}
            {year.count > 0 && slot >= 22 && (
              <text className="stats-chart__value" x={centre} y={barTop - 6} textAnchor="middle">
                {formatCount(year.count)}
              </text>
            )}
            {labelled && (
              <text className="stats-chart__year" x={centre} y={HEIGHT - 8} textAnchor="middle">
                {year.year}
              </text>
            )}
          </g>
        );
      })}
    </svg>
  );
}

/** 0 and up to four round steps covering `max` (1, 2, 5 × 10ⁿ). */
function gridTicks(max: number): number[] {
  const rough = max / 4;
  const magnitude = 10 ** Math.floor(Math.log10(Math.max(rough, 1)));
  const step = [1, 2, 5, 10].map((m) => m * magnitude).find((candidate) => candidate >= rough) ?? 10 * magnitude;
  const ticks = [0];
  while (ticks.at(-1)! < max) ticks.push(ticks.at(-1)! + step);
  return ticks;
}

/** The element's content width, kept current as the window or layout changes. */
function useWidth(ref: RefObject<HTMLElement | null>): number {
  const [width, setWidth] = useState(0);
  useLayoutEffect(() => {
    const element = ref.current;
    if (!element) return;
    setWidth(Math.floor(element.clientWidth));
    const observer = new ResizeObserver(([entry]) => {
      if (entry) setWidth(Math.floor(entry.contentRect.width));
    });
    observer.observe(element);
    return () => observer.disconnect();
  }, [ref]);
  return width;
}
