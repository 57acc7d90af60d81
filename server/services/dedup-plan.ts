/**
 * The dedup stage's decisions, made in memory from one read of the user's library:
 * which photos are copies of one shot or frames of one burst, which group each
 * lands in, and the fewest row changes that get the database there, cut into
 * units that can each be written on their own.
 *
 * The rules (shared/dedup.ts classifies each pair):
 * - pairs are looked for from the scan's photos only: older pairs were settled when they were new;
 * - copies (exact, near) join transitively (union–find), together with the members of existing copy groups;
 * - bursts join the same way, among photos that are no one's copy: being a copy of a shot outranks
 *   being a frame of a burst, so copies leave their burst groups;
 * - fewer than two photos make no group;
 * - a group the user resolved stays exactly as it is: its photos join nothing, nothing joins it;
 * - an existing group carries on (the oldest, when several merge), so a re-run has nothing to change;
 * - the suggested best copy is pickBestPhoto over every member, hidden ones included.
 *
 * Work is linear in the related pairs found from the scan's photos (each classified at most
 * twice, pairs already in one set skipped before classifying), memory linear in the library.
 */
import { instantOf, pairClassifier, pickBestPhoto, type DedupThresholds, type DuplicateKind } from '../../shared/dedup.js';
import type { DedupWrite, ExistingGroup, GroupRef } from '../repositories/duplicate-group.repository.js';
import type { DedupPhoto } from '../repositories/photo.repository.js';
import { DuplicateIndex } from './duplicate-index.js';
import { UnionFind } from './union-find.js';

export interface DedupInput {
  /** Every ready photo of the user still shown: what the scan's photos are compared with. */
  library: readonly DedupPhoto[];
  /** Members of groups missing from `library` (hidden, failed since): they stay members and are candidates for best copy. */
  otherMembers: readonly DedupPhoto[];
  groups: readonly ExistingGroup[];
  /** Ids of the scan's photos. Those not in `library`, or in a resolved group, are left as they are. */
  fresh: readonly number[];
}

/**
 * Changes that belong together: a group, the photos it gains, the groups they leave (and
 * the other groups those feed). Written in one transaction, a unit leaves every group
 * whole, so a stop between units leaves a consistent library, and a re-run plans only
 * what is left.
 */
export type DedupUnit = DedupWrite;

export interface DedupPlan {
  units: DedupUnit[];
  /** Scan photos in a group once the plan is written. */
  freshGrouped: number;
}

/** Between batches of lookups: a chance to yield the event loop, and to stop planning by answering true. */
export type Checkpoint = () => Promise<boolean>;

const LOOKUPS_PER_CHECKPOINT = 64;

export async function planDedup(
  input: DedupInput,
  thresholds: Pick<DedupThresholds, 'nearThreshold' | 'burstWindowSeconds'>,
  checkpoint: Checkpoint = async () => false,
): Promise<DedupPlan | null> {
  const library = new PlanningLibrary(input);
  const found = await findSets(library, input.library, thresholds, checkpoint);
  if (!found) return null;
  const freshGrouped = input.fresh.filter((id) => {
    const i = library.positionOf.get(id);
    return i !== undefined && (library.frozen[i] || found.setOf[i]! >= 0);
  }).length;
  return { units: unitsToWrite(library, found), freshGrouped };
}

/** The photos as the planner sees them: positions 0 .. library.length - 1 are the index's, members outside the library follow. */
class PlanningLibrary {
  readonly nodes: DedupPhoto[];
  readonly count: number;
  readonly groups: Map<number, ExistingGroup>;
  readonly positionOf: Map<number, number>;
  /** 1 for photos in a resolved group: the user's decision, left alone. */
  readonly frozen: Uint8Array;
  readonly takenAt: Float64Array;
  /** Content hashes as small integers (-1: none), so the inner loop compares numbers. */
  readonly contentId: Int32Array;
  /** Positions of the scan's photos that are looked up: in the library, not frozen, with a perceptual hash. */
  readonly fresh: number[];

  constructor(input: DedupInput) {
    const inLibrary = new Set(input.library.map((photo) => photo.id));
    this.nodes = [...input.library, ...input.otherMembers.filter((photo) => !inLibrary.has(photo.id))];
    this.count = this.nodes.length;
    this.groups = new Map(input.groups.map((group) => [group.id, group]));
    this.positionOf = new Map(this.nodes.map((photo, i) => [photo.id, i]));
    this.frozen = Uint8Array.from(this.nodes, (_, i) => (this.groupOf(i)?.resolved ? 1 : 0));
    this.takenAt = Float64Array.from(this.nodes, (photo) => instantOf(photo.takenAt));
    const contentIds = new Map<string, number>();
    this.contentId = Int32Array.from(this.nodes, ({ contentHash }) =>
      contentHash === null ? -1 : (contentIds.get(contentHash) ?? contentIds.set(contentHash, contentIds.size).get(contentHash)!),
    );
    this.fresh = [...new Set(input.fresh)]
      .map((id) => this.positionOf.get(id))
      .filter((i): i is number => i !== undefined && i < input.library.length && !this.frozen[i] && this.nodes[i]!.perceptualHash !== null);
  }

  groupOf(i: number): ExistingGroup | undefined {
    return this.groups.get(this.nodes[i]!.duplicateGroupId ?? -1);
  }

  openGroupOf(i: number): ExistingGroup | undefined {
    const group = this.groupOf(i);
    return group && !group.resolved ? group : undefined;
  }

  sameBytes(a: number, b: number): boolean {
    return this.contentId[a]! >= 0 && this.contentId[a] === this.contentId[b];
  }
}

interface PlannedSet {
  kind: DuplicateKind;
  /** The existing group that carries on, or null for a new one. */
  target: ExistingGroup | null;
  primaryPhotoId: number;
}

interface FoundSets {
  /** Per photo, its set's key (0 .. count - 1 copies, count .. 2·count - 1 bursts), -1 for none. */
  setOf: Int32Array;
  sets: Map<number, PlannedSet>;
}

/** Copies, then bursts among the photos that are no one's copy, each by union–find over the pairs found from the scan's photos. */
async function findSets(
  library: PlanningLibrary,
  photos: readonly DedupPhoto[],
  thresholds: Pick<DedupThresholds, 'nearThreshold' | 'burstWindowSeconds'>,
  checkpoint: Checkpoint,
): Promise<FoundSets | null> {
  const { nodes, count, frozen, takenAt, fresh } = library;
  const classify = pairClassifier(thresholds);
  const { nearThreshold } = thresholds;
  let lookups = 0;
  const pause = async () => {
    lookups += 1;
    return lookups % LOOKUPS_PER_CHECKPOINT === 0 && (await checkpoint());
  };

  // Copies. Skipping a pair already in one set loses nothing: a set joined by exact pairs only holds
  // one content hash, so any pair inside it is exact too, and a 'near' set stays near.
  // A scan photo leaves the index once looked up: its pairs with the photos still in it are all seen.
  const copies = new UnionFind(count);
  const near = new Uint8Array(count);
  const joinCopies = (rootA: number, rootB: number, isNear: boolean) => {
    const flag = near[rootA]! | near[rootB]! | (isNear ? 1 : 0);
    const root = copies.union(rootA, rootB);
    near[root] = flag;
    return root;
  };
  joinGroupMembers(
    count,
    (i) => {
      const group = library.openGroupOf(i);
      return group && group.kind !== 'burst' ? group : undefined;
    },
    (a, b, group) => joinCopies(copies.find(a), copies.find(b), group.kind === 'near'),
  );
  for (let i = 0; i < count; i += 1) if (library.openGroupOf(i)?.kind === 'near') near[copies.find(i)] = 1;
  let index = libraryIndex(photos, (i) => !frozen[i]);
  for (const f of fresh) {
    if (await pause()) return null;
    let rootF = copies.find(f);
    index.forEachRelated(nodes[f]!, nearThreshold, (p, distance) => {
      const rootP = copies.find(p);
      if (rootP === rootF) return;
      const kind = classify(distance, library.sameBytes(f, p), takenAt[f]!, takenAt[p]!);
      if (kind === 'exact' || kind === 'near') rootF = joinCopies(rootF, rootP, kind === 'near');
    });
    index.remove(f);
  }
  const isCopy = Uint8Array.from(nodes, (_, i) => (copies.sizeOf(i) >= 2 ? 1 : 0));

  // Bursts, among photos that are no one's copy.
  const bursts = new UnionFind(count);
  joinGroupMembers(
    count,
    (i) => {
      const group = library.openGroupOf(i);
      return !isCopy[i] && group?.kind === 'burst' ? group : undefined;
    },
    (a, b) => bursts.union(a, b),
  );
  index = libraryIndex(photos, (i) => !frozen[i] && !isCopy[i]);
  for (const f of fresh) {
    if (isCopy[f]) continue;
    if (await pause()) return null;
    let rootF = bursts.find(f);
    index.forEachRelated(nodes[f]!, nearThreshold, (p, distance) => {
      const rootP = bursts.find(p);
      if (rootP === rootF) return;
      if (classify(distance, library.sameBytes(f, p), takenAt[f]!, takenAt[p]!) === 'burst') rootF = bursts.union(rootF, rootP);
    });
    index.remove(f);
  }

  // Sets of two or more become groups.
  const setOf = new Int32Array(count).fill(-1);
  const members = new Map<number, number[]>();
  for (let i = 0; i < count; i += 1) {
    if (frozen[i]) continue;
    const key = isCopy[i] ? copies.find(i) : bursts.sizeOf(i) >= 2 ? count + bursts.find(i) : -1;
    setOf[i] = key;
    if (key >= 0) (members.get(key) ?? members.set(key, []).get(key)!).push(i);
  }
  const sets = new Map<number, PlannedSet>();
  for (const [key, set] of members) {
    const kind: DuplicateKind = key >= count ? 'burst' : near[key] ? 'near' : 'exact';
    // An existing group of the set's family carries on: the oldest, if the set joins several.
    const sameFamily = set.map((i) => library.openGroupOf(i)).filter((g): g is ExistingGroup => !!g && (g.kind === 'burst') === (kind === 'burst'));
    const target = sameFamily.reduce<ExistingGroup | null>((oldest, g) => (!oldest || g.id < oldest.id ? g : oldest), null);
    sets.set(key, { kind, target, primaryPhotoId: pickBestPhoto(set.map((i) => nodes[i]!)) });
  }
  return { setOf, sets };
}

/** The row changes from what is stored to the sets found, cut into units that each leave every group whole. */
function unitsToWrite(library: PlanningLibrary, { setOf, sets }: FoundSets): DedupUnit[] {
  const { nodes, count, groups, frozen } = library;
  // Every photo whose group is not the one planned; the sets that change (gain, lose or hold a scan photo).
  const targets = new Set([...sets.values()].flatMap((set) => (set.target ? [set.target.id] : [])));
  const changed = new Set<number>();
  for (const i of library.fresh) if (setOf[i]! >= 0) changed.add(setOf[i]!);
  const moves: Array<{ node: number; from: number | null; to: number | null }> = [];
  for (let i = 0; i < count; i += 1) {
    if (frozen[i]) continue;
    const from = nodes[i]!.duplicateGroupId;
    const set = setOf[i]! >= 0 ? sets.get(setOf[i]!)! : null;
    if (set?.target && set.target.id === from) continue;
    if (!set && from === null) continue;
    moves.push({ node: i, from, to: set ? setOf[i]! : null });
    if (set) changed.add(setOf[i]!);
  }
  // A group that lost photos to another set changes too (its best copy may have left); one left empty goes.
  const keyOfTarget = new Map([...sets].flatMap(([key, set]) => (set.target ? [[set.target.id, key] as const] : [])));
  for (const move of moves) {
    const key = move.from === null ? undefined : keyOfTarget.get(move.from);
    if (key !== undefined) changed.add(key);
  }
  const existing = (id: number | null): id is number => id !== null && groups.has(id);
  const removed = new Set(moves.flatMap((move) => (existing(move.from) && !targets.has(move.from) ? [move.from] : [])));

  // Units: a set, the groups its photos leave, and whatever those groups feed, together.
  const groupKey = new Map<number, number>();
  for (const id of [...moves.map((move) => move.from).filter(existing), ...targets]) {
    if (!groupKey.has(id)) groupKey.set(id, 2 * count + groupKey.size);
  }
  const coupled = new UnionFind(2 * count + groupKey.size + moves.length);
  let loose = 2 * count + groupKey.size;
  const unitKeyOfMove = moves.map((move) => {
    const fromKey = existing(move.from) ? groupKey.get(move.from)! : null;
    if (move.to !== null && fromKey !== null) return coupled.union(move.to, fromKey);
    return move.to ?? fromKey ?? loose++;
  });
  for (const [key, set] of sets) if (set.target) coupled.union(key, groupKey.get(set.target.id)!);

  type Building = DedupUnit & { created: Map<number, number> };
  const units = new Map<number, Building>();
  const unitOf = (key: number) => {
    const root = coupled.find(key);
    let unit = units.get(root);
    if (!unit) {
      unit = { create: [], update: [], moves: [], remove: [], touched: [], created: new Map() };
      units.set(root, unit);
    }
    return unit;
  };
  const refOf = (unit: Building, key: number): GroupRef => {
    const set = sets.get(key)!;
    if (set.target) return { existing: set.target.id };
    let created = unit.created.get(key);
    if (created === undefined) {
      created = unit.create.push({ kind: set.kind, primaryPhotoId: set.primaryPhotoId }) - 1;
      unit.created.set(key, created);
    }
    return { created };
  };
  moves.forEach((move, m) => {
    const unit = unitOf(unitKeyOfMove[m]!);
    unit.moves.push({ photoId: nodes[move.node]!.id, from: move.from, to: move.to === null ? null : refOf(unit, move.to) });
    if (existing(move.from)) unit.touched.push(move.from);
  });
  for (const key of changed) {
    const { target, kind, primaryPhotoId } = sets.get(key)!;
    if (!target || (target.kind === kind && target.primaryPhotoId === primaryPhotoId)) continue;
    const unit = unitOf(key);
    unit.update.push({ id: target.id, kind, primaryPhotoId });
    unit.touched.push(target.id);
  }
  // A group that gains photos must still be open when they are written.
  for (const [key, set] of sets) if (set.target && units.has(coupled.find(key))) unitOf(key).touched.push(set.target.id);
  for (const id of removed) unitOf(groupKey.get(id)!).remove.push(id);

  return [...units.values()].map(({ created: _, ...unit }) => ({ ...unit, touched: [...new Set(unit.touched)].sort((a, b) => a - b) }));
}

/** The library's multi-index, holding only the photos `keep` accepts (positions are the library's). */
function libraryIndex(library: readonly DedupPhoto[], keep: (position: number) => boolean): DuplicateIndex {
  const index = new DuplicateIndex(library);
  for (let i = 0; i < library.length; i += 1) if (!keep(i)) index.remove(i);
  return index;
}

/** Joins the members of each group `groupOf` names (undefined: leave the photo out). */
function joinGroupMembers(
  count: number,
  groupOf: (i: number) => ExistingGroup | undefined,
  join: (a: number, b: number, group: ExistingGroup) => void,
) {
  const first = new Map<number, number>();
  for (let i = 0; i < count; i += 1) {
    const group = groupOf(i);
    if (!group) continue;
    const seen = first.get(group.id);
    if (seen === undefined) first.set(group.id, i);
    else join(seen, i, group);
  }
}
