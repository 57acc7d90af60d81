import { useMemo } from 'react';
import { useUnmatchedPhotos } from '../inbox/hooks.js';
import { STRIP_SIZE } from '../inbox/PhotoStrip.js';
import { trpc, type RouterOutputs } from '../trpc.js';
import { useFestivalRefresh } from './useFestivalRefresh.js';

export type PendingFestival = RouterOutputs['festivals']['pending'][number];
export type FestivalCluster = PendingFestival['clusters'][number];
export type ClusterCandidate = FestivalCluster['candidates'][number];

/**
 * A festival's photos waiting for an act (or every festival's), with the first photos
 * of each cluster for its strip, and the one-click assignment. The assignment counts
 * as pending until the refreshed lists are in, so a settled cluster never flashes back.
 */
export function useFestivalClusters(festivalId?: number) {
  const pending = trpc.festivals.pending.useQuery(festivalId === undefined ? {} : { festivalId });
  // Waiting photos belong to no concert: they are among the unmatched photos, where the inbox finds its thumbnails too.
  const wanted = useMemo(
    () => pending.data?.flatMap((entry) => entry.clusters.flatMap((cluster) => cluster.photoIds.slice(0, STRIP_SIZE))) ?? [],
    [pending.data],
  );
  const photos = useUnmatchedPhotos(wanted);
  const refresh = useFestivalRefresh();
  const assign = trpc.festivals.assign.useMutation({ onSuccess: () => refresh() });
  return { pending, photos, assign };
}
