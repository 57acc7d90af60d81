import type { z } from 'zod';
import { classifyPhotos, pickBestPhoto, type DuplicateKind } from '../../shared/dedup.js';
import type { dedupScanPayload } from '../../shared/jobs.js';
import type { AppConfig } from '../config.js';
import type { Logger } from '../logger.js';
import type { JobQueues } from '../queue/queues.js';
import type { DuplicateGroupRepository } from '../repositories/duplicate-group.repository.js';
import type { DedupPhoto, PhotoRepository } from '../repositories/photo.repository.js';
import type { ScanProgressRepository } from '../repositories/scan-progress.repository.js';
import { DuplicateIndex } from './duplicate-index.js';

export type DedupScanPayload = z.output<typeof dedupScanPayload>;


/**
 * The last stage of a scan: groups the photos it brought in with their copies
 * (exact, near) and burst siblings across the user's library, suggests the best
 * copy, then hands the scan to event grouping. One job per scan, so groups never race; running
 * it again changes nothing.
 */
export class DedupService {
  constructor(
    private readonly photos: PhotoRepository,
    private readonly groups: DuplicateGroupRepository,
    private readonly progress: ScanProgressRepository,
    private readonly queues: JobQueues,
    private readonly config: Pick<AppConfig, 'dedup'>,
  ) {}

  /** Grouping failed for good: the photos are all in, so the scan goes on to matching, noting what went wrong. */
  async recordAbandoned({ scanId, userId, requestId }: DedupScanPayload, reason: string) {
    await this.queues.groupEvents({ scanId, userId, requestId, note: `Duplicates could not be grouped: ${reason}`.slice(0, 1000) });
  }

  async run({ scanId, userId, requestId }: DedupScanPayload, logger: Logger) {
    if (await this.progress.isCancelled(scanId)) return { outcome: 'cancelled' as const };
    const fresh = await this.photos.readyOfScan(userId, scanId);
    // Rows read before the loop go stale as it groups them; this remembers where each landed (null: released).
    const groupOf = new Map<number, number | null>();
    let grouped = 0;
    const index = fresh.length ? new DuplicateIndex(await this.groups.comparablePhotos(userId)) : null;
    for (const photo of fresh) {
      if (!index || photo.perceptualHash === null) continue;
      const candidates = index.related(photo, this.config.dedup.nearThreshold);
      const current = withCurrentGroup(photo, groupOf);
      if (await this.groupPhoto(userId, current, candidates, groupOf)) grouped += 1;
    }
    const duplicates = await this.groups.countExtraCopiesOfScan(userId, scanId);
    await this.progress.setCounts(scanId, { duplicates });
    await this.queues.groupEvents({ scanId, userId, requestId });
    logger.info({ scanId, photos: fresh.length, grouped, duplicates }, 'duplicates grouped');
    return { outcome: 'grouped' as const, duplicates };
  }

  /**
   * Puts one photo with its relatives: copies (exact or near) share one group,
   * burst siblings another. Groups that turn out to hold one shot are merged.
   * True when the photo ended up in a group.
   */
  private async groupPhoto(userId: number, photo: DedupPhoto, candidates: DedupPhoto[], groupOf: Map<number, number | null>): Promise<boolean> {
    const { nearThreshold, burstWindowSeconds } = this.config.dedup;
    const related = candidates
      .map((other) => ({ other: withCurrentGroup(other, groupOf), relation: classifyPhotos(photo, other, { nearThreshold, burstWindowSeconds }) }))
      .filter((r): r is { other: DedupPhoto; relation: DuplicateKind } => r.relation !== null);
    if (!related.length) return false;

    // Being a copy outranks being a burst sibling.
    const family = related.some((r) => r.relation !== 'burst') ? 'copies' : 'burst';
    const peers = related.filter((r) => familyOf(r.relation) === family);
    const existing = [...new Set([photo.duplicateGroupId, ...peers.map((r) => r.other.duplicateGroupId)])].filter(
      (id): id is number => id !== null,
    );
    const kinds = await this.groups.kindsOf(userId, existing);
    const sameFamily = existing.filter((id) => kinds.has(id) && familyOf(kinds.get(id)!) === family);
    const kind: DuplicateKind =
      family === 'burst'
        ? 'burst'
        : peers.some((r) => r.relation === 'near') || sameFamily.some((id) => kinds.get(id) === 'near')
          ? 'near'
          : 'exact';
    // Being copies of one shot outranks being frames of one burst: copies leave their burst groups.
    const weaker = family === 'copies' ? existing.filter((id) => kinds.get(id) === 'burst') : [];
    const target = sameFamily[0] ?? (await this.groups.create(userId, kind));
    await this.groups.mergeInto(userId, target, sameFamily.slice(1), kind);
    await this.groups.assign(userId, target, [photo.id, ...peers.map((r) => r.other.id)], weaker);
    for (const groupId of weaker) {
      if (await this.dissolveIfSingle(userId, groupId, groupOf)) continue;
      await this.refreshPrimary(userId, groupId, groupOf);
    }
    if (await this.dissolveIfSingle(userId, target, groupOf)) return false;
    const members = await this.refreshPrimary(userId, target, groupOf);
    return members.some((member) => member.id === photo.id);
  }

  private async dissolveIfSingle(userId: number, groupId: number, groupOf: Map<number, number | null>) {
    if (!(await this.groups.dissolveIfSingle(userId, groupId))) return false;
    for (const [photoId, id] of groupOf) if (id === groupId) groupOf.set(photoId, null);
    return true;
  }

  private async refreshPrimary(userId: number, groupId: number, groupOf: Map<number, number | null>) {
    const members = await this.groups.membersOf(userId, groupId);
    for (const member of members) groupOf.set(member.id, groupId);
    await this.groups.setPrimary(userId, groupId, pickBestPhoto(members));
    return members;
  }
}

function withCurrentGroup(photo: DedupPhoto, groupOf: Map<number, number | null>): DedupPhoto {
  return groupOf.has(photo.id) ? { ...photo, duplicateGroupId: groupOf.get(photo.id)! } : photo;
}

function familyOf(kind: DuplicateKind): 'copies' | 'burst' {
  return kind === 'burst' ? 'burst' : 'copies';
}
