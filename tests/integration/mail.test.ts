import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mailDeliveries, photos, users } from '../../drizzle/schema/index.js';
import { createLogger } from '../../server/logger.js';
import { jobIdOf } from '../../server/queue/job-ids.js';
import type { Child } from '../support/child-process.js';
import { makeStagePhoto } from '../support/images.js';
import { watchScan } from '../support/scan-helpers.js';
import { addressesOf, rawHeader, startSmtpServer, type ReceivedMail, type TestSmtpServer } from '../support/smtp-server.js';
import { startTestApp, type RunningApp } from '../support/test-app.js';
import { testConfig, testEnv, uniqueEmail } from '../support/test-env.js';
import { trpcHttpClient } from '../support/trpc-http-client.js';
import { workerServicesOf } from '../support/worker-jobs.js';
import { startWorkerProcess, stop } from '../support/worker-process.js';

const PARADISO = { latitude: 52.3622, longitude: 4.884 };

let smtp: TestSmtpServer;
let app: RunningApp;
let worker: Child;
let folder: string;
const logger = createLogger(testConfig());

beforeAll(async () => {
  smtp = await startSmtpServer();
  const root = await mkdtemp(join(tmpdir(), 'ch-mail-lib-'));
  folder = join(root, 'gig');
  await mkdir(folder, { recursive: true });
  for (const [i, time] of ['2016-03-12T21:30:00', '2016-03-12T22:10:00'].entries()) {
    await writeFile(
      join(folder, `IMG_${i}.JPG`),
      await makeStagePhoto({ seed: 900 + i, exif: { localTime: time, ...PARADISO, make: 'Fujifilm', model: 'X100V' } }),
    );
  }
  const env = testEnv({
    LOCAL_IMPORT_ROOTS: root,
    DATA_DIR: await mkdtemp(join(tmpdir(), 'ch-data-')),
    SMTP_URL: smtp.url,
    MAIL_FROM: 'Concert History <hello@concerts.test>',
  });
  app = await startTestApp(env);
  // Links in mails point at the app under test.
  worker = await startWorkerProcess({ ...env, PUBLIC_URL: app.url });
});
afterAll(async () => {
  if (worker) await stop(worker);
  await app?.close();
  await smtp?.close();
});

async function newUser(name = 'Robin') {
  const { client } = trpcHttpClient(app.url);
  const email = uniqueEmail('mail');
  const user = await client.auth.signup.mutate({ email, password: 'correct horse battery', name });
  return { client, user, email };
}

type Client = Awaited<ReturnType<typeof newUser>>['client'];

/** Concerts the user went to, by date and artist; the first one may take photos (which give it a place and a picture). */
async function addConcerts(client: Client, concerts: Array<{ date: string; artist: string; photoIds?: number[] }>) {
  const ids: number[] = [];
  for (const concert of concerts) {
    const { id } = await client.concerts.create.mutate({
      date: concert.date,
      artist: { artistName: concert.artist },
      city: 'Amsterdam',
      photoIds: concert.photoIds,
    });
    ids.push(id);
  }
  return ids;
}

function unsubscribeLinkOf(mail: ReceivedMail): string {
  const match = /Stop .* with one click: (\S+)/.exec(mail.text ?? '');
  if (!match) throw new Error(`no unsubscribe link in:\n${mail.text}`);
  return match[1]!;
}

async function waitForJob(queue: 'mail' | 'schedule', jobId: string) {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const job = await app.services.queues.queue(queue).getJob(jobId);
    const state = job && (await job.getState());
    // Read again: the job above may have been read while it ran (no return value yet) and completed since.
    if (state === 'completed') return (await app.services.queues.queue(queue).getJob(jobId))!.returnvalue as unknown;
    if (state === 'failed') throw new Error(`job ${jobId} failed: ${job!.failedReason}`);
    if (Date.now() > deadline) throw new Error(`job ${jobId} did not finish (state ${state})`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** An IANA zone where it is now mid-morning (10:xx), so the real sweep, run now, finds this user's morning. */
function zoneWhereItIsMorning(now: Date): string {
  let offset = (10 - now.getUTCHours() + 24) % 24;
  if (offset > 14) offset -= 24;
  // Etc/GMT zones have POSIX signs: Etc/GMT-3 is three hours ahead of UTC.
  return offset === 0 ? 'Etc/GMT' : `Etc/GMT${offset > 0 ? '-' : '+'}${Math.abs(offset)}`;
}

describe('mails over SMTP', () => {
  it('sends a scan summary, then the 10th-concert milestone after a rescan, each once, with links that work without logging in', async () => {
    const { client, user, email } = await newUser('Robin');
    const { id: sourceId } = await client.sources.addLocalFolder.mutate({ path: folder });
    const { scanId } = await client.scans.start.mutate({ sourceId });
    expect((await watchScan(client, scanId)).at(-1)).toMatchObject({ status: 'completed', counts: { listed: 2 } });

    const summary = await smtp.waitFor((m) => m.recipients.includes(email) && /scan of gig/.test(m.subject ?? ''));
    expect(addressesOf(summary.to)).toEqual([email]);
    expect(addressesOf(summary.from)).toEqual(['hello@concerts.test']);
    expect(summary.text).toMatch(/Hi Robin,/);
    expect(summary.text).toMatch(/2 new photos read/);
    expect(summary.html).toMatch(/2 new photos read/);

    // Ten concerts: the latest of them holds a starred photo, so the milestone mail shows its picture.
    const [photo] = await app.database.db
      .select({ id: photos.id })
      .from(photos)
      .where(and(eq(photos.userId, user.id), eq(photos.status, 'ready')))
      .limit(1);
    await client.photos.star.mutate({ id: photo!.id, starred: true });
    const artists = ['Arcade Fire', 'Bon Iver', 'Caribou', 'Daft Punk', 'Elbow', 'Feist', 'Grimes', 'Hozier', 'Interpol'];
    await addConcerts(
      client,
      artists.map((artist, i) => ({ date: `201${i}-05-0${i + 1}`, artist })),
    );
    await addConcerts(client, [{ date: '2020-02-14', artist: 'Jarvis Cocker', photoIds: [photo!.id] }]);

    // The user schedules a daily rescan; its run (the job's own service call) rescans the unchanged folder:
    // no summary (it found nothing), but the milestone check runs.
    expect(await client.sources.setSchedule.mutate({ sourceId, schedule: 'daily' })).toMatchObject({
      schedule: 'daily',
      nextRunAt: expect.any(Date),
    });
    const rescan = await app.services.rescanSchedules.runScheduled(user.id, sourceId, logger);
    expect(rescan.outcome).toBe('started');
    const rescanId = (rescan as { scanId: number }).scanId;
    expect((await watchScan(client, rescanId)).at(-1)).toMatchObject({ status: 'completed', counts: { listed: 0 } });
    expect(await waitForJob('mail', jobIdOf('scan-finished-mail', { scanId: rescanId, userId: user.id }))).toEqual({ queued: ['milestone'] });

    const milestone = await smtp.waitFor((m) => m.recipients.includes(email) && /10th concert/.test(m.subject ?? ''));
    expect(milestone.subject).toBe('Your 10th concert: Jarvis Cocker at Amsterdam');
    expect(milestone.text).toMatch(/10 concerts in your history! Number 10 was Jarvis Cocker at Amsterdam\./);
    expect(milestone.text).toMatch(/Friday,? 14 February 2020/);
    expect(milestone.html).toMatch(/Jarvis Cocker at Amsterdam/);
    const concertLink = new RegExp(`${app.url}/#/concerts/\\d+`);
    expect(milestone.text).toMatch(concertLink);
    const image = /<img src="([^"]+)"/.exec(milestone.html || '')?.[1]?.replaceAll('&amp;', '&');
    expect(image).toMatch(new RegExp(`^${app.url}/media/users/${user.id}/.+\\?e=\\d+&s=`));
    const picture = await fetch(image!);
    expect(picture.status).toBe(200);
    expect(picture.headers.get('content-type')).toMatch(/^image\//);

    // Only one summary: the rescan that found nothing sent none.
    expect(smtp.to(email).filter((m) => /scan of/.test(m.subject ?? ''))).toHaveLength(1);

    // One-click unsubscribe: the headers mail clients use, and the link in the body, without a session.
    const link = unsubscribeLinkOf(milestone);
    expect(link.startsWith(`${app.url}/api/unsubscribe?token=`)).toBe(true);
    expect(rawHeader(milestone, 'List-Unsubscribe')).toBe(`<${link}>`);
    expect(rawHeader(milestone, 'List-Unsubscribe-Post')).toBe('List-Unsubscribe=One-Click');

    const confirmation = await fetch(link);
    expect(confirmation.status).toBe(200);
    expect(await confirmation.text()).toMatch(/Unsubscribe from milestone mails/);
    const [before] = await app.database.db.select().from(users).where(eq(users.id, user.id));
    expect(before).toMatchObject({ mailMilestones: true, mailScanFinished: true });

    const tampered = link.replace(`token=${user.id}.`, `token=${user.id + 1}.`);
    expect((await fetch(tampered, { method: 'POST' })).status).toBe(400);
    expect((await fetch(link.replace('milestone', 'scan_finished'), { method: 'POST' })).status).toBe(400);

    const done = await fetch(link, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'List-Unsubscribe=One-Click',
    });
    expect(done.status).toBe(200);
    expect(await done.text()).toMatch(/no more milestone mails/);
    const [after] = await app.database.db.select().from(users).where(eq(users.id, user.id));
    expect(after).toMatchObject({ mailMilestones: false, mailScanFinished: true, mailOnThisDay: true });
    expect(await client.notifications.preferences.query()).toMatchObject({
      milestone: false,
      scan_finished: true,
      on_this_day: true,
      mailEnabled: true,
    });

    // Unsubscribed: the next milestone is not even queued, and a queued one is not sent.
    expect(await workerServicesOf(app).mail.deliver({ kind: 'milestone', userId: user.id, milestone: 10 }, logger)).toBe('unwanted');
  });

  it('sends "on this day" in the user\'s morning with the concerts of this date in past years, once', async () => {
    const now = new Date();
    const timeZone = zoneWhereItIsMorning(now);
    const local = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(now);
    const [year, monthDay] = [Number(local.slice(0, 4)), local.slice(5)];
    // Leap-day concerts need leap years.
    const [older, newer] = monthDay === '02-29' ? [year - 8, year - 4] : [year - 7, year - 3];

    const { client, user, email } = await newUser('Sam');
    await client.notifications.updatePreferences.mutate({ timeZone });
    await addConcerts(client, [
      { date: `${older}-${monthDay}`, artist: 'Kraftwerk' },
      { date: `${newer}-${monthDay}`, artist: 'LCD Soundsystem' },
      { date: `${newer}-${monthDay === '01-01' ? '01-02' : '01-01'}`, artist: 'Not Today' },
    ]);

    const sweep = await workerServicesOf(app).onThisDay.sweep(now, logger);
    expect(sweep.queued).toBeGreaterThanOrEqual(1);
    const mail = await smtp.waitFor((m) => m.recipients.includes(email) && /On this day/.test(m.subject ?? ''));
    expect(mail.subject).toBe('On this day: 2 concerts from past years');
    expect(mail.text).toMatch(new RegExp(`${year - newer} years ago today: LCD Soundsystem at Amsterdam\\.`));
    expect(mail.text).toMatch(new RegExp(`${year - older} years ago today: Kraftwerk at Amsterdam\\.`));
    expect(mail.text).not.toMatch(/Not Today/);
    expect(mail.html).toMatch(/Kraftwerk at Amsterdam/);
    expect(mail.html).toMatch(/LCD Soundsystem at Amsterdam/);
    expect(unsubscribeLinkOf(mail)).toMatch(new RegExp(`token=${user.id}\\.on_this_day\\.`));

    // The next hourly sweep of the same morning sends nothing more.
    await workerServicesOf(app).onThisDay.sweep(now, logger);
    await waitForJob('mail', jobIdOf('send-mail', { kind: 'on_this_day', userId: user.id, date: local }));
    expect(smtp.to(email).filter((m) => /On this day/.test(m.subject ?? ''))).toHaveLength(1);
    const rows = await app.database.db.select().from(mailDeliveries).where(eq(mailDeliveries.userId, user.id));
    expect(rows).toEqual([expect.objectContaining({ kind: 'on_this_day', idempotencyKey: `on_this_day:${local}`, status: 'sent' })]);
  });

  it('sends one mail when the same event is delivered twice at once, again later, or queued twice', async () => {
    const { client, user, email } = await newUser('Kim');
    // Half a year from today, so the real sweeps of the other tests never pick this user's date.
    let monthDay = new Date(Date.now() + 182 * 86_400_000).toISOString().slice(5, 10);
    if (monthDay === '02-29') monthDay = '03-01';
    await addConcerts(client, [
      { date: `2015-${monthDay}`, artist: 'Massive Attack' },
      { date: `2019-${monthDay}`, artist: 'Nick Cave' },
    ]);
    const event = { kind: 'on_this_day' as const, userId: user.id, date: `2024-${monthDay}` };
    const outcomes = await Promise.all([workerServicesOf(app).mail.deliver(event, logger), workerServicesOf(app).mail.deliver(event, logger)]);
    expect(outcomes.filter((o) => o === 'sent')).toHaveLength(1);
    expect(outcomes.filter((o) => o !== 'sent')[0]).toMatch(/^(busy|already-sent)$/);
    expect(await workerServicesOf(app).mail.deliver(event, logger)).toBe('already-sent');

    await app.services.queues.addBulk('send-mail', [event]);
    await app.services.queues.addBulk('send-mail', [event]);
    expect(await waitForJob('mail', jobIdOf('send-mail', event))).toEqual({ outcome: 'already-sent' });

    const mails = smtp.to(email);
    expect(mails).toHaveLength(1);
    expect(mails[0]!.subject).toBe('On this day: 2 concerts from past years');
    expect(rawHeader(mails[0]!, 'X-Concert-History-Event')).toBe(`on_this_day:${event.date}`);
    const rows = await app.database.db.select().from(mailDeliveries).where(eq(mailDeliveries.userId, user.id));
    expect(rows).toEqual([expect.objectContaining({ status: 'sent', messageId: expect.stringMatching(/@/) })]);
  });

  it('lets the user turn each kind off and set the zone of their mornings, and refuses an unknown zone', async () => {
    const { client, user } = await newUser();
    expect(await client.notifications.preferences.query()).toEqual({
      scan_finished: true,
      milestone: true,
      on_this_day: true,
      timeZone: null,
      mailEnabled: true,
    });
    await client.notifications.updatePreferences.mutate({ on_this_day: false, timeZone: 'Europe/Lisbon' });
    const [row] = await app.database.db.select().from(users).where(eq(users.id, user.id));
    expect(row).toMatchObject({ mailOnThisDay: false, mailMilestones: true, timeZone: 'Europe/Lisbon' });
    await expect(client.notifications.updatePreferences.mutate({ timeZone: 'Nowhere/Special' })).rejects.toMatchObject({
      data: { code: 'BAD_REQUEST' },
    });
    await expect(trpcHttpClient(app.url).client.notifications.preferences.query()).rejects.toMatchObject({ data: { code: 'UNAUTHORIZED' } });
  });

  it('sends and records nothing when SMTP_URL is not set', async () => {
    const quiet = await startTestApp(testEnv());
    try {
      const { client } = trpcHttpClient(quiet.url);
      const user = await client.auth.signup.mutate({ email: uniqueEmail('nomail'), password: 'correct horse battery', name: 'Quiet' });
      await addConcerts(client, [{ date: '2015-07-05', artist: 'Portishead' }]);
      expect(await client.notifications.preferences.query()).toMatchObject({ mailEnabled: false });
      expect(await workerServicesOf(quiet).mail.deliver({ kind: 'on_this_day', userId: user.id, date: '2024-07-05' }, logger)).toBe('mail-off');
      expect(await quiet.services.notifications.afterScan(user.id, 1, logger)).toEqual({ queued: [] });
      expect(await workerServicesOf(quiet).onThisDay.sweep(new Date(), logger)).toEqual({ users: 0, mornings: 0, queued: 0 });
      expect(await quiet.database.db.select().from(mailDeliveries).where(eq(mailDeliveries.userId, user.id))).toEqual([]);
      // Links of mails sent before mail was turned off cannot be checked without the mail settings: refused, nothing changes.
      expect((await fetch(`${quiet.url}/api/unsubscribe?token=${user.id}.milestone.${'a'.repeat(43)}`)).status).toBe(400);
    } finally {
      await quiet.close();
    }
  });
});
