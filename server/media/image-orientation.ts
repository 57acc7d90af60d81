/**
 * The eight ways a stored picture can be turned upright (EXIF orientations 1–8),
 * as one value that can be composed and inverted: first mirror left–right when
 * `mirror`, then rotate clockwise by `quarterTurns` × 90°. That is the order of
 * ExifTool's descriptions ("Mirror horizontal and rotate 270 CW") and of sharp,
 * whose flop() always runs before rotate().
 */

export interface Orientation {
  mirror: boolean;
  /** Clockwise quarter turns, 0–3. */
  quarterTurns: 0 | 1 | 2 | 3;
}

export const IDENTITY: Orientation = { mirror: false, quarterTurns: 0 };

/** EXIF Orientation value → what turns the stored picture upright. */
const EXIF_ORIENTATIONS: Record<number, Orientation> = {
  1: IDENTITY,
  2: { mirror: true, quarterTurns: 0 },
  3: { mirror: false, quarterTurns: 2 },
  4: { mirror: true, quarterTurns: 2 },
  5: { mirror: true, quarterTurns: 3 },
  6: { mirror: false, quarterTurns: 1 },
  7: { mirror: true, quarterTurns: 1 },
  8: { mirror: false, quarterTurns: 3 },
};

export function fromExifOrientation(value: number | null | undefined): Orientation | null {
  return value === null || value === undefined ? null : (EXIF_ORIENTATIONS[value] ?? null);
}

export function toExifOrientation(orientation: Orientation): number {
  const entry = Object.entries(EXIF_ORIENTATIONS).find(([, o]) => o.mirror === orientation.mirror && o.quarterTurns === orientation.quarterTurns);
  return Number(entry![0]);
}

export const rotateClockwise = (quarterTurns: number): Orientation => ({
  mirror: false,
  quarterTurns: (((quarterTurns % 4) + 4) % 4) as Orientation['quarterTurns'],
});
export const mirrorHorizontally: Orientation = { mirror: true, quarterTurns: 0 };
/** Top and bottom swap: a left–right mirror then half a turn. */
export const mirrorVertically: Orientation = { mirror: true, quarterTurns: 2 };

/**
 * As 2×2 matrices acting on (x, y) with y pointing down: mirror M = [[-1,0],[0,1]],
 * a clockwise quarter turn R = [[0,-1],[1,0]]; an orientation is R^k·M^mirror.
 */
type Matrix = readonly [number, number, number, number];
const multiply = (a: Matrix, b: Matrix): Matrix => [
  a[0] * b[0] + a[1] * b[2],
  a[0] * b[1] + a[1] * b[3],
  a[2] * b[0] + a[3] * b[2],
  a[2] * b[1] + a[3] * b[3],
];
const MIRROR: Matrix = [-1, 0, 0, 1];
const QUARTER: Matrix = [0, -1, 1, 0];
const ONE: Matrix = [1, 0, 0, 1];

function matrixOf({ mirror, quarterTurns }: Orientation): Matrix {
  let matrix = mirror ? MIRROR : ONE;
  for (let i = 0; i < quarterTurns; i++) matrix = multiply(QUARTER, matrix);
  return matrix;
}

const ALL: Orientation[] = Object.values(EXIF_ORIENTATIONS);

function orientationOf(matrix: Matrix): Orientation {
  const found = ALL.find((candidate) => matrixOf(candidate).every((value, i) => value === matrix[i]));
  if (!found) throw new Error(`not an orientation: ${matrix.join(',')}`);
  return found;
}

/** `first`, then `second`. */
export function compose(first: Orientation, second: Orientation): Orientation {
  return orientationOf(multiply(matrixOf(second), matrixOf(first)));
}

export function invert(orientation: Orientation): Orientation {
  const [a, b, c, d] = matrixOf(orientation);
  // Orthogonal: the inverse is the transpose.
  return orientationOf([a, c, b, d]);
}

export function swapsSides(orientation: Orientation): boolean {
  return orientation.quarterTurns % 2 === 1;
}
