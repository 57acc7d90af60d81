/** The demo generator's seeded PRNG (two runs seed the same history and send the same mix), plus weighted choice. */
import { createRandom as createSeeded, type Random as SeededRandom } from '../../scripts/demo-library/random.js';

export interface Random extends SeededRandom {
  /** One of the values, with the given relative weights: [[value, weight], …]. */
  weighted<T>(choices: ReadonlyArray<readonly [T, number]>): T;
}

export function createRandom(seed: number): Random {
  const random = createSeeded(seed);
  return Object.assign(random, {
    weighted<T>(choices: ReadonlyArray<readonly [T, number]>): T {
      const total = choices.reduce((sum, [, weight]) => sum + weight, 0);
      let roll = random.next() * total;
      for (const [value, weight] of choices) {
        roll -= weight;
        if (roll < 0) return value;
      }
      return choices.at(-1)![0];
    },
  });
}
