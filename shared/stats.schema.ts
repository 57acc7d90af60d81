/** Inputs and fixed figures of the user's stats (`stats.summary`). */
import { z } from 'zod';

/** Nothing to choose yet: the summary is of the whole history. */
export const statsSummaryInput = z.object({}).optional();

/** The concerts worth celebrating: the 1st, the 10th, … reached in date order. */
export const MILESTONES = [1, 10, 25, 50, 100, 250, 500] as const;

/** How long the top lists are. */
export const TOP_ARTISTS = 10;
export const TOP_VENUES = 10;
export const TOP_CITIES = 25;
export const TOP_SONGS = 20;

/** ISO weekdays, Monday = 1 … Sunday = 7 (of the concert's local date). */
export const ISO_WEEKDAYS = [1, 2, 3, 4, 5, 6, 7] as const;
