import type { inferRouterInputs } from '@trpc/server';
import type { AppRouter } from '../../../server/trpc/router.js';
import type { RouterOutputs } from '../trpc.js';

export type RouterInputs = inferRouterInputs<AppRouter>;
export type ConcertDetail = RouterOutputs['concerts']['get'];
