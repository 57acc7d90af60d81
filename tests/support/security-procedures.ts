/**
 * The security suite's view of the router: every procedure with its type, who
 * may call it (read from its middlewares, not from its name) and inputs built
 * from its zod schema, with the id fields marked as slots the tests fill with
 * their own or another user's ids. Nothing here is written per procedure except
 * the meaning of id field names: a new procedure is walked automatically, and an
 * id field nobody has explained makes the walk report a problem naming it.
 */
import type { AnyProcedure } from '@trpc/server';
import type { z } from 'zod';
import { appRouter } from '../../server/trpc/router.js';
import { adminProcedure, protectedProcedure } from '../../server/trpc/init.js';

/**
 * The user-owned things a procedure may name by id (each has a row with a user_id).
 * Artists and venues are either shared (setlist.fm, OpenStreetMap: anyone may name
 * them) or a user's own (names they typed): the matrix names the own kind.
 */
export const OWNED_KINDS = ['source', 'scan', 'photo', 'concert', 'duplicateGroup', 'export', 'artist', 'venue', 'festival', 'festivalAct'] as const;
export type OwnedKind = (typeof OWNED_KINDS)[number];

/** Id field names that mean the same kind of thing wherever they appear. */
const OWNED_BY_FIELD: Record<string, OwnedKind> = {
  sourceId: 'source',
  scanId: 'scan',
  photoId: 'photo',
  photoIds: 'photo',
  keepPhotoId: 'photo',
  concertId: 'concert',
  groupId: 'duplicateGroup',
  exportId: 'export',
  artistId: 'artist',
  venueId: 'venue',
  festivalId: 'festival',
  actId: 'festivalAct',
};

/** Names whose meaning depends on the procedure (`id`, or `sourceIds` meaning concerts, not libraries). */
const OWNED_BY_PROCEDURE: Record<string, Record<string, OwnedKind>> = {
  'concerts.get': { id: 'concert' },
  'concerts.update': { id: 'concert' },
  'concerts.delete': { id: 'concert' },
  'concerts.merge': { targetId: 'concert', sourceIds: 'concert' },
  'photos.star': { id: 'photo' },
};

/** Ids that are not owned by any user, so another user's "id" of them does not exist: a setlist id names a page on setlist.fm. */
export const SHARED_ID_FIELDS = { setlistId: 'setlist' } as const;
export type SharedKind = (typeof SHARED_ID_FIELDS)[keyof typeof SHARED_ID_FIELDS];

/** Procedures anyone may call without a session. A new public procedure must be added here on purpose. */
export const PUBLIC_PROCEDURES = ['auth.login', 'auth.me', 'auth.signup'];

const ID_LIKE = /^id$|Ids?$/;

/** A place in an input where an id goes. */
export class IdSlot {
  constructor(
    readonly kind: OwnedKind | SharedKind | 'admin',
    readonly owned: boolean,
    readonly path: string,
  ) {}
}

export type Access = 'public' | 'protected' | 'admin';

export interface ProcedureInfo {
  path: string;
  type: 'query' | 'mutation' | 'subscription';
  access: Access;
  input: z.ZodType | undefined;
  /** Valid shapes of the input (one per union branch that matters), ids as IdSlots. */
  shapes: unknown[];
}

type Def = { type: string; [key: string]: unknown };
const defOf = (schema: z.ZodType): Def => (schema as unknown as { _zod: { def: Def } })._zod.def;

const middlewaresOf = (procedure: unknown): unknown[] => (procedure as { _def: { middlewares: unknown[] } })._def.middlewares;
const includesAll = (procedure: unknown, base: unknown) => middlewaresOf(base).every((m) => middlewaresOf(procedure).includes(m));

const SAMPLE_STRINGS: Record<string, string> = {
  date: '2019-07-05',
  email: 'someone@example.test',
  password: 'correct horse battery staple',
  currentPassword: 'correct horse battery staple',
  newPassword: 'another horse battery staple',
  timeZone: 'Europe/Amsterdam',
  setlistId: '63de4613',
  countryCode: 'NL',
  mbid: '5b11f4ce-a62d-471e-81fc-a69a8278c7da',
  setStart: '21:00',
  setEnd: '22:30',
  dayDate: '2019-07-05',
};
const FALLBACK_STRINGS = ['Sample', 'abcd1234', '2019-07-05', 'Europe/Amsterdam', 'someone@example.test'];
const MAX_SHAPES = 64;

/** Every procedure of the app router, and the problems met while reading their inputs. */
export function readRouter(): { procedures: ProcedureInfo[]; problems: string[] } {
  const problems: string[] = [];
  const procedures = Object.entries(appRouter._def.procedures as unknown as Record<string, AnyProcedure>).map(([path, procedure]) => {
    const def = procedure._def as unknown as { type: ProcedureInfo['type']; inputs: z.ZodType[] };
    const access: Access = includesAll(procedure, adminProcedure) ? 'admin' : includesAll(procedure, protectedProcedure) ? 'protected' : 'public';
    if (def.inputs.length > 1) problems.push(`${path}: chained .input() calls are not read by the security matrix`);
    const input = def.inputs[0];
    let shapes: unknown[] = [undefined];
    if (input) {
      try {
        shapes = alternatives(input, { procedure: path, access, path: 'input', key: undefined });
        for (const shape of shapes) {
          const parsed = input.safeParse(fill(shape, (slot, n) => sampleId(slot, n)));
          if (!parsed.success)
            problems.push(
              `${path}: the input built from its schema is not valid (${parsed.error.message}); teach tests/support/security-procedures.ts a value`,
            );
        }
      } catch (error) {
        problems.push((error as Error).message);
      }
    }
    return { path, type: def.type, access, input, shapes };
  });
  return { procedures, problems };
}

interface Where {
  procedure: string;
  access: Access;
  path: string;
  /** The object key this value sits under (kept through optional/array wrappers). */
  key: string | undefined;
}

function alternatives(schema: z.ZodType, where: Where): unknown[] {
  const def = defOf(schema);
  switch (def.type) {
    case 'optional':
    case 'default':
    case 'prefault':
    case 'nonoptional':
    case 'readonly':
    case 'catch':
      return alternatives(def.innerType as z.ZodType, where);
    case 'nullable':
      return [...alternatives(def.innerType as z.ZodType, where), null];
    case 'pipe':
      return alternatives(def.in as z.ZodType, where);
    case 'union':
      return (def.options as z.ZodType[]).flatMap((option) => alternatives(option, where));
    case 'object':
      return objectAlternatives(def.shape as Record<string, z.ZodType>, where);
    case 'array':
      return alternatives(def.element as z.ZodType, where).map((element) => [element]);
    case 'number':
    case 'string': {
      const slot = where.key !== undefined && ID_LIKE.test(where.key) ? idSlot(where.key, where) : null;
      if (slot) return [slot];
      return [leafSample(schema, def.type, where)];
    }
    case 'boolean':
      return [true];
    case 'enum':
      return [Object.values(def.entries as Record<string, unknown>)[0]];
    case 'literal':
      return [(def.values as unknown[])[0]];
    default:
      throw new Error(`${where.procedure}: ${where.path} is a zod "${def.type}", which the security matrix cannot build yet`);
  }
}

function objectAlternatives(shape: Record<string, z.ZodType>, where: Where): unknown[] {
  let partials: Array<Record<string, unknown>> = [{}];
  for (const [key, child] of Object.entries(shape)) {
    const options = alternatives(child, { ...where, path: `${where.path}.${key}`, key });
    const optional = child.safeParse(undefined).success;
    // Optional fields are left out unless they can carry a user-owned id: those are what the matrix is for.
    const withOwned = options.filter(hasOwnedSlot);
    if (optional && !withOwned.length) continue;
    const chosen = optional ? withOwned : options;
    partials = partials.flatMap((partial) => chosen.map((value) => ({ ...partial, [key]: value })));
    if (partials.length > MAX_SHAPES) throw new Error(`${where.procedure}: ${where.path} has more than ${MAX_SHAPES} input shapes`);
  }
  return partials;
}

function idSlot(key: string, where: Where): IdSlot {
  const owned = OWNED_BY_PROCEDURE[where.procedure]?.[key] ?? OWNED_BY_FIELD[key];
  if (owned) return new IdSlot(owned, true, where.path);
  const shared = (SHARED_ID_FIELDS as Record<string, SharedKind>)[key];
  if (shared) return new IdSlot(shared, false, where.path);
  // Admin procedures are refused to users as a whole, whatever their ids point at.
  if (where.access === 'admin') return new IdSlot('admin', false, where.path);
  throw new Error(
    `${where.procedure}: ${where.path} looks like an id, but the security matrix does not know what it points at; ` +
      "add it to OWNED_BY_FIELD / OWNED_BY_PROCEDURE (user-owned: tested with another user's id) or SHARED_ID_FIELDS (not owned by anyone) in tests/support/security-procedures.ts",
  );
}

function leafSample(schema: z.ZodType, type: string, where: Where): unknown {
  const candidates: unknown[] =
    type === 'number' ? [1, 5, 10, 100, 2019] : [...(where.key && SAMPLE_STRINGS[where.key] ? [SAMPLE_STRINGS[where.key]] : []), ...FALLBACK_STRINGS];
  const value = candidates.find((candidate) => schema.safeParse(candidate).success);
  if (value === undefined)
    throw new Error(`${where.procedure}: no sample value fits ${where.path}; add one to SAMPLE_STRINGS in tests/support/security-procedures.ts`);
  return value;
}

export function hasOwnedSlot(shape: unknown): boolean {
  return slotsOf(shape).some((slot) => slot.owned);
}

/** The id slots of a shape, in a fixed order. */
export function slotsOf(shape: unknown): IdSlot[] {
  if (shape instanceof IdSlot) return [shape];
  if (Array.isArray(shape)) return shape.flatMap(slotsOf);
  if (shape && typeof shape === 'object') return Object.values(shape).flatMap(slotsOf);
  return [];
}

/** The shape with each slot replaced by `pick(slot, its index among the shape's slots)`. */
export function fill(shape: unknown, pick: (slot: IdSlot, index: number) => unknown): unknown {
  let index = 0;
  const walk = (value: unknown): unknown => {
    if (value instanceof IdSlot) return pick(value, index++);
    if (Array.isArray(value)) return value.map(walk);
    if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, walk(v)]));
    return value;
  };
  return walk(shape);
}

/** A syntactically valid id for a slot when it does not matter whose it is (e.g. calls refused before any lookup). */
export function sampleId(slot: IdSlot, index: number): number | string {
  return slot.kind === 'setlist' ? SAMPLE_STRINGS.setlistId! : index + 1;
}

type Callable = {
  query(input: unknown): Promise<unknown>;
  mutate(input: unknown): Promise<unknown>;
  subscribe(input: unknown, handlers: { onData(data: unknown): void; onError(error: unknown): void }): { unsubscribe(): void };
};

/**
 * Calls a procedure by its path through a real tRPC client. A subscription
 * resolves with its first message, or rejects with its error.
 */
export function callProcedure(client: object, procedure: Pick<ProcedureInfo, 'path' | 'type'>, input: unknown): Promise<unknown> {
  const target = procedure.path.split('.').reduce<unknown>((node, part) => (node as Record<string, unknown>)[part], client) as Callable;
  if (procedure.type === 'query') return target.query(input);
  if (procedure.type === 'mutation') return target.mutate(input);
  return new Promise((resolve, reject) => {
    // Only a guard against a silent stream; the outcome is decided by the first message or error.
    const timer = setTimeout(() => {
      subscription.unsubscribe();
      reject(new Error(`${procedure.path}: the subscription sent neither data nor an error`));
    }, 60_000);
    const subscription = target.subscribe(input, {
      onData(data) {
        clearTimeout(timer);
        subscription.unsubscribe();
        resolve(data);
      },
      onError(error) {
        clearTimeout(timer);
        subscription.unsubscribe();
        reject(error);
      },
    });
  });
}
