import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { concerts } from '../../drizzle/schema/index.js';
import { startTestApp, type RunningApp } from '../support/test-app.js';
import { inProcessCaller, signedUpCaller } from '../support/in-process-caller.js';
import { testEnv } from '../support/test-env.js';

let app: RunningApp;
beforeAll(async () => {
  app = await startTestApp(testEnv({ DATA_DIR: await mkdtemp(join(tmpdir(), 'ch-data-')) }));
});
afterAll(async () => {
  await app?.close();
});

// In-process (createCaller): these are the procedures' rules, not HTTP's.
const newUser = () => signedUpCaller(app, 'years');

async function insertConcerts(userId: number, dates: string[]) {
  await app.database.db.insert(concerts).values(dates.map((concertDate) => ({ userId, concertDate, status: 'confirmed' as const })));
}

describe('concerts.years', () => {
  it('lists the years that have concerts, newest first, with how many, counting only the caller’s own', async () => {
    const { caller, user } = await newUser();
    const other = await newUser();
    await insertConcerts(user.id, ['2019-07-05', '2012-11-09', '2019-12-31', '2014-03-21', '2019-01-01']);
    await insertConcerts(other.user.id, ['2019-02-02', '2021-06-01']);

    expect(await caller.concerts.years()).toEqual([
      { year: 2019, count: 3 },
      { year: 2014, count: 1 },
      { year: 2012, count: 1 },
    ]);
    expect(await other.caller.concerts.years()).toEqual([
      { year: 2021, count: 1 },
      { year: 2019, count: 1 },
    ]);
  });

  it('offers only years the year filter accepts, and every year it offers lists its concerts', async () => {
    const { caller, user } = await newUser();
    // Rows dated before dates were checked (year 1, 1899): the API refuses such dates now.
    await insertConcerts(user.id, ['0001-05-05', '1899-12-31', '1900-01-01', '2020-02-02']);
    await expect(caller.concerts.create({ date: '0001-05-05', artist: { artistName: 'Ancient' } })).rejects.toMatchObject({ code: 'BAD_REQUEST' });

    const years = await caller.concerts.years();
    expect(years).toEqual([
      { year: 2020, count: 1 },
      { year: 1900, count: 1 },
    ]);
    for (const { year, count } of years) expect((await caller.concerts.list({ year, limit: 100 })).items, String(year)).toHaveLength(count);
  });

  it('is empty for a user without concerts, and refused without a session', async () => {
    const { caller } = await newUser();
    expect(await caller.concerts.years()).toEqual([]);
    const anonymous = inProcessCaller(app).caller;
    await expect(anonymous.concerts.years()).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
  });
});
