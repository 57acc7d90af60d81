import { mkdir, mkdtemp, realpath, rename, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ValidationError } from '../errors.js';
import { LocalImportGrants } from './local-import-grants.js';
import { SourceAccessError } from './photo-source.js';

let base: string;
let root: string;
beforeEach(async () => {
  base = await realpath(await mkdtemp(join(tmpdir(), 'ch-grants-')));
  root = join(base, 'imports');
  await mkdir(join(root, '7', 'shows'), { recursive: true });
  await mkdir(join(root, '8', 'shows'), { recursive: true });
});
afterEach(() => rm(base, { recursive: true, force: true }));

describe('LocalImportGrants, one folder per user', () => {
  const grants = () => new LocalImportGrants({ localRoots: [root], localShared: false });

  it("takes a folder inside the user's own and refuses everything else with one message", async () => {
    expect(await grants().resolveRequested(7, join(root, '7', 'shows'))).toBe(join(root, '7', 'shows'));
    expect(await grants().resolveRequested(7, join(root, '7'))).toBe(join(root, '7'));
    const refusals = await Promise.all(
      [join(root, '8', 'shows'), root, base, join(root, '7', 'missing'), '/etc'].map((path) =>
        grants()
          .resolveRequested(7, path)
          .catch((e: unknown) => e),
      ),
    );
    for (const refusal of refusals) expect(refusal).toBeInstanceOf(ValidationError);
    expect(new Set(refusals.map((refusal) => (refusal as Error).message)).size).toBe(1);
    expect((refusals[0] as Error).message).toContain(join(root, '7'));
    expect((refusals[0] as Error).message).not.toContain(join(root, '8'));
  });

  it("follows an operator's link from <root>/<user id> to where that user's photos are", async () => {
    await mkdir(join(base, 'elsewhere', 'photos'), { recursive: true });
    await symlink(join(base, 'elsewhere'), join(root, '9'));
    expect(await grants().resolveRequested(9, join(root, '9', 'photos'))).toBe(join(base, 'elsewhere', 'photos'));
    expect(await grants().verifyStored(9, join(base, 'elsewhere', 'photos'))).toBe(join(base, 'elsewhere', 'photos'));
  });

  it("stops accepting a stored folder replaced by a link, moved, or no longer in the user's grant", async () => {
    const shows = join(root, '7', 'shows');
    expect(await grants().verifyStored(7, shows)).toBe(shows);
    await rename(shows, `${shows}-moved`);
    await symlink(join(root, '8', 'shows'), shows);
    await expect(grants().verifyStored(7, shows)).rejects.toBeInstanceOf(SourceAccessError);
    await rm(shows);
    await expect(grants().verifyStored(7, shows)).rejects.toBeInstanceOf(SourceAccessError);
    await expect(grants().verifyStored(8, `${shows}-moved`)).rejects.toBeInstanceOf(SourceAccessError);
  });

  it("creates the user's folder on first look, only inside a root that exists", async () => {
    expect(await grants().prepare(10)).toEqual([{ path: join(root, '10'), ready: true }]);
    const missingRoot = new LocalImportGrants({ localRoots: [join(base, 'no-such-root')], localShared: false });
    expect(await missingRoot.prepare(10)).toEqual([{ path: join(base, 'no-such-root', '10'), ready: false }]);
  });
});

describe('LocalImportGrants, one household (LOCAL_IMPORT_SHARED)', () => {
  it('takes any folder under the roots and creates nothing', async () => {
    const shared = new LocalImportGrants({ localRoots: [root], localShared: true });
    expect(await shared.resolveRequested(7, join(root, '8', 'shows'))).toBe(join(root, '8', 'shows'));
    expect(await shared.prepare(11)).toEqual([{ path: root, ready: true }]);
    await expect(shared.resolveRequested(7, base)).rejects.toBeInstanceOf(ValidationError);
  });

  it('is off when there are no roots', async () => {
    const off = new LocalImportGrants({ localRoots: [], localShared: false });
    await expect(off.resolveRequested(7, root)).rejects.toThrow('Importing from a server folder is turned off on this server');
  });
});
