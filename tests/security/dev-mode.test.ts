/**
 * Development mode (README's quick start) is no open door: its secrets are this
 * install's own (not constants anyone can read in the source), Vite's dev server
 * serves the client and nothing else of the repository or of `.data`, and the
 * hot-reload socket listens only where the app does.
 */
import { readdirSync, readlinkSync, readFileSync, statSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../server/config.js';
import { INSTALL_SECRET_FILE } from '../../server/install-secret.js';
import { MediaUrls } from '../../server/media/media-urls.js';
import { startTestApp, type RunningApp } from '../support/test-app.js';
import { testEnv } from '../support/test-env.js';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url)).replace(/\/$/, '');
/** The constant every dev instance signed with before. */
const OLD_DEV_SESSION_SECRET = 'dev-only-session-secret-change-me-in-production';

const cleanups: Array<() => Promise<unknown>> = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

async function tempDir(parent: string, label: string) {
  await mkdir(parent, { recursive: true });
  const dir = await mkdtemp(join(parent, label));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

async function devApp(env: Record<string, string>): Promise<RunningApp> {
  const app = await startTestApp(testEnv({ NODE_ENV: 'development', RATE_LIMIT_API_PER_MIN: '0', ...env }));
  cleanups.push(() => app.close());
  return app;
}

describe('secrets in development', () => {
  it('are generated once per install, kept in DATA_DIR readable by its owner only, and never the old constant', async () => {
    const install = await tempDir(tmpdir(), 'ch-install-');
    const other = await tempDir(tmpdir(), 'ch-install-');
    const env = { NODE_ENV: 'development', DATA_DIR: install, SMTP_URL: 'smtp://127.0.0.1:2525' };
    const first = loadConfig(env);
    const again = loadConfig(env);
    const elsewhere = loadConfig({ ...env, DATA_DIR: other });

    expect(first.session.secret).not.toBe(OLD_DEV_SESSION_SECRET);
    expect(first.session.secret.length).toBeGreaterThanOrEqual(32);
    expect(again.session.secret).toBe(first.session.secret);
    expect(elsewhere.session.secret).not.toBe(first.session.secret);
    // The media URL and unsubscribe secrets are derived from it, so they are the install's own too.
    expect(first.media.urlSecret).toBe(`media-urls:${first.session.secret}`);
    expect(first.mail!.unsubscribeSecret).toBe(`unsubscribe:${first.session.secret}`);
    expect(elsewhere.media.urlSecret).not.toBe(first.media.urlSecret);

    const file = join(install, INSTALL_SECRET_FILE);
    expect(readFileSync(file, 'utf8').trim()).toBe(first.session.secret);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    // Set explicitly, the variables win and no file is needed.
    const explicit = loadConfig({ ...env, DATA_DIR: join(other, 'unused'), SESSION_SECRET: 's'.repeat(40), MEDIA_URL_SECRET: 'm'.repeat(40) });
    expect([explicit.session.secret, explicit.media.urlSecret]).toEqual(['s'.repeat(40), 'm'.repeat(40)]);
  });

  it('let nobody download a stored export with a media URL signed by the secret in the source', async () => {
    const dataDir = await tempDir(tmpdir(), 'ch-dev-media-');
    const app = await devApp({ DATA_DIR: dataDir, CLIENT_MODE: 'off' });
    const key = 'users/1/exports/1.csv';
    await app.services.storage.put(key, Buffer.from('date,artist\n2019-07-05,Someone private\n'), 'text/csv');

    const forged = new MediaUrls({ cdnBaseUrl: null, urlSecret: `media-urls:${OLD_DEV_SESSION_SECRET}`, urlTtlSeconds: 86_400 }).url(key);
    const refused = await fetch(`${app.url}${forged}`);
    expect(refused.status).toBe(403);
    expect(await refused.text()).not.toContain('Someone private');
    // The control: the app's own signature still works.
    expect((await fetch(`${app.url}${app.services.mediaUrls.url(key)}`)).status).toBe(200);
  });
});

describe('Vite’s dev server', () => {
  it('serves the client but no server source, repository file or file under .data', async () => {
    // Where the quick start keeps its data: inside the repository.
    const dataDir = await tempDir(join(repoRoot, '.data'), 'dev-mode-test-');
    const app = await devApp({ DATA_DIR: dataDir, CLIENT_MODE: 'vite' });
    const objectKey = 'users/1/thumbnails/00112233445566778899aabbccddeeff.webp';
    await app.services.storage.put(objectKey, Buffer.from('private thumbnail bytes'), 'image/webp');
    const get = async (path: string) => {
      const response = await fetch(`${app.url}${path}`);
      return { status: response.status, body: await response.text() };
    };

    // The control: the page, Vite's client, the app's modules and what they import from shared/.
    expect((await get('/')).body).toContain('<div id="root">');
    expect((await get('/@vite/client')).status).toBe(200);
    expect((await get('/src/main.tsx')).status).toBe(200);
    expect((await get(`/@fs${repoRoot}/shared/scan-progress.ts`)).status).toBe(200);

    const refused = [
      `/@fs${repoRoot}/server/config.ts`,
      `/@fs${repoRoot}/server/config.ts?import`,
      `/@fs${repoRoot}/server/config.ts?raw`,
      `/@fs${repoRoot}/server/config.ts?url`,
      `/@fs${repoRoot}/package.json`,
      `/@fs${dataDir}/${INSTALL_SECRET_FILE}`,
      `/@fs${dataDir}/${INSTALL_SECRET_FILE}?raw`,
      `/@fs${dataDir}/objects/${objectKey}`,
      `/@fs${dataDir}/objects/${objectKey}?raw`,
      '/@fs/etc/passwd',
    ];
    const secret = readFileSync(join(dataDir, INSTALL_SECRET_FILE), 'utf8').trim();
    for (const path of refused) {
      const answer = await get(path);
      expect([403, 404], path).toContain(answer.status);
      for (const leak of ['loadConfig', 'process.env', 'private thumbnail bytes', secret, 'root:x:0:0'])
        expect(answer.body, path).not.toContain(leak);
    }
    // Paths that climb out of the client folder land on the app's page, never on a file.
    for (const path of [
      '/../server/config.ts',
      '/%2e%2e/server/config.ts',
      '/..%2fserver/config.ts',
      '/.data/',
      `/${dataDir.slice(repoRoot.length + 1)}/${INSTALL_SECRET_FILE}`,
    ]) {
      const answer = await get(path);
      for (const leak of ['loadConfig', 'process.env', secret]) expect(answer.body, path).not.toContain(leak);
    }
  });

  it('keeps its hot-reload socket on the app’s host, on a free port', async () => {
    const app = await devApp({ DATA_DIR: await tempDir(tmpdir(), 'ch-dev-hmr-'), CLIENT_MODE: 'vite', HOST: '127.0.0.1' });
    const listening = listeningSocketsOfThisProcess();
    const appPort = Number(new URL(app.url).port);
    // The app and the hot-reload socket, at least; every one of them on the loopback address only.
    expect(listening.some((socket) => socket.port === appPort)).toBe(true);
    expect(listening.filter((socket) => socket.port !== appPort).length).toBeGreaterThan(0);
    for (const socket of listening) expect(socket.address, `port ${socket.port}`).toBe('127.0.0.1');
    expect(listening.map((socket) => socket.port)).not.toContain(24678);
  });
});

/** TCP sockets this process listens on, from /proc/net/tcp{,6} matched to our file descriptors by inode. */
function listeningSocketsOfThisProcess(): Array<{ address: string; port: number }> {
  const inodes = new Set<string>();
  for (const fd of readdirSync('/proc/self/fd')) {
    try {
      const match = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/self/fd/${fd}`));
      if (match) inodes.add(match[1]!);
    } catch {
      // Closed meanwhile.
    }
  }
  const sockets: Array<{ address: string; port: number }> = [];
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    for (const line of readFileSync(table, 'utf8').split('\n').slice(1)) {
      const fields = line.trim().split(/\s+/);
      if (fields.length < 10 || fields[3] !== '0A' || !inodes.has(fields[9]!)) continue;
      const [hexAddress, hexPort] = fields[1]!.split(':');
      sockets.push({ address: decodeAddress(hexAddress!), port: parseInt(hexPort!, 16) });
    }
  }
  return sockets;
}

/** /proc's little-endian hex: 0100007F is 127.0.0.1; IPv6 as four 32-bit words. */
function decodeAddress(hex: string): string {
  if (hex.length === 8)
    return hex
      .match(/../g)!
      .reverse()
      .map((byte) => parseInt(byte, 16))
      .join('.');
  if (/^0{16}FFFF0000/i.test(hex)) return decodeAddress(hex.slice(24));
  if (/^0+$/.test(hex)) return '::';
  if (hex === '00000000000000000000000001000000') return '::1';
  return hex;
}
