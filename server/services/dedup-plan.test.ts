import { describe, expect, it } from 'vitest';
import { DEFAULT_DEDUP_THRESHOLDS } from '../../shared/dedup.js';
import type { DedupWrite, ExistingGroup } from '../repositories/duplicate-group.repository.js';
import type { DedupPhoto } from '../repositories/photo.repository.js';
import { planDedup, type DedupInput } from './dedup-plan.js';
import { batchUnits } from './dedup.service.js';

const BASE = 0x0f0f_3c3c_a5a5_6996n;
const OTHER = 0xf0f0_c3c3_5a5a_9669n; // every bit differs from BASE

interface Row extends DedupPhoto {
  hidden?: boolean;
}

const photo = (id: number, hash: bigint | null, extra: Partial<Row> = {}): Row => ({
  id,
  perceptualHash: hash,
  contentHash: `bytes-${id}`,
  takenAt: null,
  width: 1000,
  height: 750,
  byteSize: 100_000,
  duplicateGroupId: null,
  ...extra,
});
const at = (second: number, ms = 0) => new Date(Date.UTC(2019, 6, 5, 20, 0, second, ms));
const flip = (hash: bigint, ...bits: number[]) => bits.reduce((h, bit) => h ^ (1n << BigInt(bit)), hash);

/** A library in memory, changed by the plans it is given as the database would be. */
class Library {
  photos: Row[];
  groups: Array<ExistingGroup & { resolvedAt?: Date }>;
  private nextGroupId = 1000;

  constructor(photos: Row[], groups: ExistingGroup[] = []) {
    this.photos = photos.map((p) => ({ ...p }));
    this.groups = groups.map((g) => ({ ...g }));
  }

  input(fresh: number[]): DedupInput {
    const shown = (p: Row) => !p.hidden;
    return {
      library: this.photos.filter(shown).map(({ hidden: _, ...p }) => p),
      otherMembers: this.photos.filter((p) => !shown(p) && p.duplicateGroupId !== null).map(({ hidden: _, ...p }) => p),
      groups: this.groups.map(({ resolvedAt: _, ...g }) => g),
      fresh,
    };
  }

  async dedup(fresh: number[]) {
    const plan = (await planDedup(this.input(fresh), DEFAULT_DEDUP_THRESHOLDS))!;
    for (const write of batchUnits(plan.units, 500)) this.apply(write);
    return plan;
  }

  apply(write: DedupWrite) {
    const created = write.create.map((group) => {
      const id = this.nextGroupId++;
      this.groups.push({ id, kind: group.kind, primaryPhotoId: group.primaryPhotoId, resolved: false });
      return id;
    });
    for (const move of write.moves) {
      const row = this.photos.find((p) => p.id === move.photoId)!;
      expect(row.duplicateGroupId).toBe(move.from);
      row.duplicateGroupId = move.to === null ? null : 'existing' in move.to ? move.to.existing : created[move.to.created]!;
    }
    for (const id of write.touched) expect(this.groups.find((g) => g.id === id)?.resolved).toBe(false);
    for (const update of write.update)
      Object.assign(this.groups.find((g) => g.id === update.id)!, { kind: update.kind, primaryPhotoId: update.primaryPhotoId });
    for (const id of write.remove) {
      expect(this.photos.some((p) => p.duplicateGroupId === id)).toBe(false);
      this.groups = this.groups.filter((g) => g.id !== id);
    }
  }

  /** Groups as sorted member lists with kind and best copy, sorted: comparable across runs whatever the group ids. */
  grouping() {
    return this.groups
      .map((g) => ({
        kind: g.kind,
        primary: g.primaryPhotoId,
        members: this.photos
          .filter((p) => p.duplicateGroupId === g.id)
          .map((p) => p.id)
          .sort((a, b) => a - b),
      }))
      .sort((a, b) => a.members[0]! - b.members[0]!);
  }
}

describe('planDedup', () => {
  it('groups exact and near copies together and a burst apart, with the largest copy as the best', async () => {
    const library = new Library([
      photo(1, BASE, { contentHash: 'same', takenAt: at(0, 310) }),
      photo(2, BASE, { contentHash: 'same', takenAt: at(0, 310) }),
      photo(3, flip(BASE, 1, 9, 33), { takenAt: at(0, 310), width: 500, height: 375 }),
      photo(4, OTHER, { takenAt: at(30, 500) }),
      photo(5, flip(OTHER, 2), { takenAt: at(31, 500) }),
      photo(6, flip(OTHER, 2, 40), { takenAt: at(32, 500) }),
      photo(7, flip(BASE, 60, 61, 62, 63), { takenAt: at(3_000) }), // like 1, but 50 minutes later: a similar shot, not a copy
    ]);
    const plan = await library.dedup([1, 2, 3, 4, 5, 6, 7]);
    expect(library.grouping()).toEqual([
      { kind: 'near', primary: 1, members: [1, 2, 3] },
      { kind: 'burst', primary: 4, members: [4, 5, 6] },
    ]);
    expect(plan.freshGrouped).toBe(6);
  });

  it('calls a group of byte-identical copies exact', async () => {
    const library = new Library([photo(1, BASE, { contentHash: 'same' }), photo(2, BASE, { contentHash: 'same', byteSize: 200_000 })]);
    await library.dedup([1, 2]);
    expect(library.grouping()).toEqual([{ kind: 'exact', primary: 2, members: [1, 2] }]);
  });

  it('puts burst frames that have copies with their copies, not in the burst', async () => {
    const frame = (id: number, second: number) => photo(id, flip(BASE, id), { takenAt: at(second, 500) });
    const library = new Library([
      frame(1, 0),
      frame(2, 1),
      frame(3, 2),
      photo(4, flip(BASE, 2, 50), { takenAt: at(1, 500), width: 500, height: 375 }), // frame 2 resized
      photo(5, flip(BASE, 3), { takenAt: at(2, 500), contentHash: 'bytes-3' }), // frame 3 copied
    ]);
    await library.dedup([1, 2, 3, 4, 5]);
    expect(library.grouping()).toEqual([
      { kind: 'near', primary: 2, members: [2, 4] },
      { kind: 'exact', primary: 3, members: [3, 5] },
    ]);
  });

  it('takes a photo out of its burst group when a later scan brings its copy, dissolving a burst left with one frame', async () => {
    const library = new Library([photo(1, BASE, { takenAt: at(0, 500) }), photo(2, flip(BASE, 7), { takenAt: at(1, 500) })]);
    await library.dedup([1, 2]);
    expect(library.grouping()).toEqual([{ kind: 'burst', primary: 1, members: [1, 2] }]);
    library.photos.push(photo(3, flip(BASE, 7, 20), { takenAt: at(1, 500), width: 2000, height: 1500 }));
    await library.dedup([3]);
    expect(library.grouping()).toEqual([{ kind: 'near', primary: 3, members: [2, 3] }]);
    expect(library.groups).toHaveLength(1);
  });

  it('merges the groups a new photo joins into the oldest, near when any of them is', async () => {
    const library = new Library(
      [
        photo(1, BASE, { contentHash: 'a', duplicateGroupId: 10 }),
        photo(2, BASE, { contentHash: 'a', duplicateGroupId: 10 }),
        photo(3, flip(BASE, 1, 2, 3, 4, 5, 6), { duplicateGroupId: 11 }),
        photo(4, flip(BASE, 1, 2, 3, 4, 5, 6, 7), { duplicateGroupId: 11, hidden: true, width: 4000, height: 3000 }),
        photo(5, flip(BASE, 1, 2, 3)), // within 10 bits of both groups
      ],
      [
        { id: 10, kind: 'exact', primaryPhotoId: 1, resolved: false },
        { id: 11, kind: 'near', primaryPhotoId: 3, resolved: false },
      ],
    );
    await library.dedup([5]);
    // The hidden member moves with its group and, being the largest, is the suggested best copy.
    expect(library.grouping()).toEqual([{ kind: 'near', primary: 4, members: [1, 2, 3, 4, 5] }]);
    expect(library.groups.map((g) => g.id)).toEqual([10]);
  });

  it('leaves a group the user resolved exactly as it is, and groups new copies among themselves', async () => {
    const groups = [{ id: 10, kind: 'exact' as const, primaryPhotoId: 2, resolved: true }];
    const library = new Library(
      [
        photo(1, BASE, { contentHash: 'a', duplicateGroupId: 10, hidden: true, width: 4000, height: 3000 }),
        photo(2, BASE, { contentHash: 'a', duplicateGroupId: 10 }),
        photo(3, BASE, { contentHash: 'a', width: 5000, height: 4000 }),
        photo(4, BASE, { contentHash: 'a' }),
      ],
      groups,
    );
    const plan = await library.dedup([3, 4]);
    expect(plan.units.flatMap((unit) => unit.touched)).not.toContain(10);
    expect(library.grouping()).toEqual([
      { kind: 'exact', primary: 2, members: [1, 2] },
      { kind: 'exact', primary: 3, members: [3, 4] },
    ]);
  });

  it('has nothing left to do when run again, or after a part of its plan was written', async () => {
    const rows = Array.from({ length: 60 }, (_, i) =>
      photo(i + 1, i % 3 === 2 ? flip(OTHER, i) : flip(BASE, i % 7, 20 + (i % 11)), {
        takenAt: i % 2 ? at(i % 20, 100 * (i % 9)) : null,
        contentHash: `bytes-${i % 13}`,
      }),
    );
    const whole = new Library(rows);
    await whole.dedup(rows.map((p) => p.id));
    expect((await planDedup(whole.input(rows.map((p) => p.id)), DEFAULT_DEDUP_THRESHOLDS))!.units).toEqual([]);

    // A worker that died after its first write: the retry plans from what is there and ends with the same groups.
    const interrupted = new Library(rows);
    const plan = (await planDedup(interrupted.input(rows.map((p) => p.id)), DEFAULT_DEDUP_THRESHOLDS))!;
    const [first] = [...batchUnits(plan.units, 10)];
    interrupted.apply(first!);
    await interrupted.dedup(rows.map((p) => p.id));
    expect(interrupted.grouping()).toEqual(whole.grouping());
  });

  it('puts a thousand near-identical photos in one group, and ignores photos without a perceptual hash', async () => {
    const rows = Array.from({ length: 1000 }, (_, i) => photo(i + 1, flip(BASE, i % 64, (i * 7) % 64)));
    const library = new Library([...rows, photo(5000, null)]);
    const plan = await library.dedup([...rows.map((p) => p.id), 5000]);
    expect(plan.units).toHaveLength(1);
    expect(library.grouping()).toEqual([{ kind: 'near', primary: 1, members: rows.map((p) => p.id) }]);
  });

  it('stops planning when the checkpoint says so', async () => {
    const rows = Array.from({ length: 300 }, (_, i) => photo(i + 1, flip(BASE, i % 64)));
    let calls = 0;
    const plan = await planDedup(new Library(rows).input(rows.map((p) => p.id)), DEFAULT_DEDUP_THRESHOLDS, async () => ++calls >= 2);
    expect(plan).toBeNull();
    expect(calls).toBe(2);
  });
});
