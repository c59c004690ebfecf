import type { HealthSeriesPoint } from './health-series.js';

/**
 * A bar chart as numbers, for an inline SVG the template draws on the server: no script, no
 * style attribute (the CSP allows neither), only SVG geometry and classes from app.css.
 */
export interface BarChart {
  /** The viewBox's size. */
  width: number;
  height: number;
  bars: Array<{ x: number; y: number; width: number; height: number; count: number; at: number }>;
  max: number;
  total: number;
  /** The latest bucket's count. */
  latest: number;
}

const WIDTH = 240;
const HEIGHT = 60;

export function barChartOf(points: readonly HealthSeriesPoint[]): BarChart {
  const max = Math.max(0, ...points.map((point) => point.count));
  const slot = WIDTH / Math.max(points.length, 1);
  const gap = slot > 4 ? 1 : 0;
  return {
    width: WIDTH,
    height: HEIGHT,
    max,
    total: points.reduce((sum, point) => sum + point.count, 0),
    latest: points.at(-1)?.count ?? 0,
    bars: points.map((point, i) => {
      // A bucket with something in it is at least 2 units tall, so it never disappears.
      const height = max === 0 || point.count === 0 ? 0 : Math.max(2, (point.count / max) * HEIGHT);
      return {
        x: round(i * slot),
        y: round(HEIGHT - height),
        width: round(slot - gap),
        height: round(height),
        count: point.count,
        at: point.at,
      };
    }),
  };
}

const round = (value: number) => Math.round(value * 100) / 100;
