/**
 * One contract for every ObjectStorage: the same behaviour on local disk and on
 * S3 (a real S3-compatible server in this process), so either can back the product.
 */
import { HeadObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { loadConfig } from '../../server/config.js';
import { createStorage } from '../../server/storage/index.js';
import { LocalDiskStorage } from '../../server/storage/local-disk-storage.js';
import { createS3Client, S3Storage, type S3StorageOptions } from '../../server/storage/s3-storage.js';
import type { ObjectStorage } from '../../server/storage/storage.js';
import { startS3Server, type S3TestServer } from '../support/s3-server.js';
import { testEnv } from '../support/test-env.js';

interface Subject {
  storage: ObjectStorage;
  /** A snapshot of everything the storage could have touched, to show that refused keys cause no I/O. */
  footprint(): Promise<unknown>;
  close(): Promise<void>;
}

let server: S3TestServer;
beforeAll(async () => {
  server = await startS3Server();
});
afterAll(async () => {
  await server?.close();
});

function s3Options(bucket = server.bucket): S3StorageOptions {
  return {
    bucket,
    region: server.region,
    endpoint: server.endpoint,
    forcePathStyle: true,
    credentials: { accessKeyId: server.accessKeyId, secretAccessKey: server.secretAccessKey },
  };
}

/** The client S3Storage would build, with the server's credentials, recording the name of every command it sends. */
function recordingClient(): { client: S3Client; commands: string[] } {
  const client = createS3Client(s3Options());
  const commands: string[] = [];
  client.middlewareStack.add(
    (next, context) => (args) => {
      commands.push(context.commandName ?? 'unknown');
      return next(args);
    },
    { step: 'initialize', name: 'recordCommands' },
  );
  return { client, commands };
}

const subjects: Array<{ name: string; start: () => Promise<Subject> }> = [
  {
    name: 'local disk',
    async start() {
      const dir = await mkdtemp(join(tmpdir(), 'ch-storage-'));
      return {
        storage: new LocalDiskStorage(join(dir, 'objects')),
        footprint: async () => (await readdir(dir, { recursive: true })).sort(),
        close: () => rm(dir, { recursive: true, force: true }),
      };
    },
  },
  {
    name: 'S3',
    async start() {
      const { client, commands } = recordingClient();
      return {
        storage: new S3Storage(s3Options(), client),
        footprint: async () => commands.length,
        close: async () => client.destroy(),
      };
    },
  },
];

const MB = 1024 * 1024;

/** A non-object-mode stream in small chunks, like a file or an HTTP body. */
function streamOf(data: Buffer, chunkSize = 64 * 1024): Readable {
  return Readable.from(
    (function* () {
      for (let at = 0; at < data.length; at += chunkSize) yield data.subarray(at, at + chunkSize);
    })(),
    { objectMode: false },
  );
}

const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');

async function sha256Of(stream: Readable): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of stream) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

async function collectPages(pages: AsyncGenerator<Array<{ key: string; size: number; modifiedAt: Date }>>) {
  const result = [];
  for await (const page of pages) result.push(page);
  return result;
}

async function inParallel<T>(items: T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: limit }, async () => {
      while (next < items.length) await work(items[next++]!);
    }),
  );
}

describe.each(subjects)('$name storage', ({ start }) => {
  let subject: Subject;
  let storage: ObjectStorage;
  // Each test writes under its own folder, so tests never see each other's objects.
  let folderCount = 0;
  const folder = () => `contract/${process.pid}-${++folderCount}`;

  beforeAll(async () => {
    subject = await start();
    storage = subject.storage;
  });
  afterAll(async () => {
    await subject?.close();
  });

  it('stores a buffer and gives back the same bytes through get and read', async () => {
    const key = `${folder()}/photo.webp`;
    const data = randomBytes(4321);
    await storage.put(key, data, 'image/webp');

    const object = await storage.get(key);
    expect(object?.size).toBe(data.length);
    expect(await sha256Of(object!.body)).toBe(sha256(data));
    expect(await storage.read(key)).toEqual(data);
    expect(await storage.exists(key)).toBe(true);
  });

  it('replaces an object written twice under the same key', async () => {
    const key = `${folder()}/thumb.webp`;
    await storage.put(key, Buffer.from('first version, longer'), 'image/webp');
    await storage.put(key, Buffer.from('second'), 'image/webp');
    expect((await storage.read(key))?.toString()).toBe('second');
  });

  it('deletes an object, after which it no longer exists', async () => {
    const key = `${folder()}/gone.webp`;
    await storage.put(key, Buffer.from('soon gone'), 'image/webp');
    await storage.delete(key);
    expect(await storage.exists(key)).toBe(false);
    expect(await storage.get(key)).toBeNull();
    expect(await storage.read(key)).toBeNull();
  });

  it('answers null or false for a key that was never written, and deleting it is fine', async () => {
    const key = `${folder()}/never-written.webp`;
    expect(await storage.get(key)).toBeNull();
    expect(await storage.read(key)).toBeNull();
    expect(await storage.exists(key)).toBe(false);
    await expect(storage.delete(key)).resolves.toBeUndefined();
  });

  it('stores a 12 MB stream of unknown length byte for byte', async () => {
    const key = `${folder()}/upload`;
    const data = randomBytes(12 * MB + 123);
    await storage.put(key, streamOf(data), 'image/jpeg');

    const object = await storage.get(key);
    expect(object?.size).toBe(data.length);
    expect(await sha256Of(object!.body)).toBe(sha256(data));
    expect(sha256((await storage.read(key))!)).toBe(sha256(data));
  });

  it('leaves no object behind when the stream fails halfway', async () => {
    const key = `${folder()}/broken-upload`;
    const broken = Readable.from(
      (async function* () {
        yield* streamOf(randomBytes(7 * MB));
        throw new Error('client went away');
      })(),
      { objectMode: false },
    );
    // Not the stream's own error on s3rver: it lacks AbortMultipartUpload, and lib-storage then throws that failure instead.
    await expect(storage.put(key, broken, 'image/jpeg')).rejects.toThrow();
    expect(await storage.exists(key)).toBe(false);
    expect(await collectPages(storage.list(key.slice(0, key.lastIndexOf('/'))))).toEqual([]);
  });

  it('stores an empty stream as an empty object', async () => {
    const key = `${folder()}/empty`;
    await storage.put(key, streamOf(Buffer.alloc(0)), 'application/octet-stream');
    expect(await storage.read(key)).toEqual(Buffer.alloc(0));
  });

  it('lists every key under a folder exactly once, over several pages, and nothing outside it', async () => {
    const base = folder();
    const startedAt = Date.now();
    const keys = Array.from({ length: 1_200 }, (_, i) => `${base}/p/${i % 7}/object-${i}.bin`);
    await inParallel(keys, 16, (key) => storage.put(key, Buffer.from(key), 'application/octet-stream'));
    // Siblings whose names share the folder's text, and another folder: none may show up.
    for (const outside of [`${base}/p-other/a.bin`, `${base}/px.bin`, `${base}/q/a.bin`]) {
      await storage.put(outside, Buffer.from('outside'), 'application/octet-stream');
    }

    const pages = await collectPages(storage.list(`${base}/p/`));
    expect(pages.length).toBeGreaterThan(1);
    for (const page of pages) expect(page.length).toBeGreaterThan(0);
    const listed = pages.flat();
    expect(listed).toHaveLength(keys.length);
    expect(new Set(listed.map((item) => item.key))).toEqual(new Set(keys));
    for (const item of listed) {
      expect(item.size).toBe(Buffer.byteLength(item.key));
      expect(Math.abs(item.modifiedAt.getTime() - startedAt)).toBeLessThan(10 * 60_000);
    }
  });

  it('treats a prefix without a trailing slash as the same folder', async () => {
    const base = folder();
    await storage.put(`${base}/a/1.bin`, Buffer.from('1'), 'application/octet-stream');
    await storage.put(`${base}/ab/2.bin`, Buffer.from('2'), 'application/octet-stream');
    const listed = (await collectPages(storage.list(`${base}/a`))).flat().map((item) => item.key);
    expect(listed).toEqual([`${base}/a/1.bin`]);
  });

  it('lists nothing under a folder that holds no objects', async () => {
    expect(await collectPages(storage.list(`${folder()}/empty/`))).toEqual([]);
  });

  it.each(['../x', 'a//b', '/etc/passwd', 'a/../../b', '', 'a\\b'])('refuses the unsafe key %j before any I/O', async (key) => {
    const before = await subject.footprint();
    const refused = /Unsafe storage key/;
    await expect(storage.put(key, Buffer.from('x'), 'text/plain')).rejects.toThrow(refused);
    await expect(storage.put(key, streamOf(Buffer.from('x')), 'text/plain')).rejects.toThrow(refused);
    await expect(storage.get(key)).rejects.toThrow(refused);
    await expect(storage.read(key)).rejects.toThrow(refused);
    await expect(storage.exists(key)).rejects.toThrow(refused);
    await expect(storage.delete(key)).rejects.toThrow(refused);
    await expect(storage.list(key).next()).rejects.toThrow(refused);
    expect(await subject.footprint()).toEqual(before);
  });
});

describe('S3 storage specifics', () => {
  let client: S3Client;
  let commands: string[];
  let storage: S3Storage;

  beforeAll(() => {
    ({ client, commands } = recordingClient());
    storage = new S3Storage(s3Options(), client);
  });
  afterAll(() => client?.destroy());

  const contentTypeOf = async (key: string) => (await client.send(new HeadObjectCommand({ Bucket: server.bucket, Key: key }))).ContentType;

  it('keeps the content type of buffers and of streams', async () => {
    await storage.put('specifics/thumb.webp', Buffer.from('webp bytes'), 'image/webp');
    await storage.put('specifics/small-upload', streamOf(Buffer.from('jpeg bytes')), 'image/jpeg');
    expect(await contentTypeOf('specifics/thumb.webp')).toBe('image/webp');
    expect(await contentTypeOf('specifics/small-upload')).toBe('image/jpeg');
  });

  it('sends a big stream as a multipart upload, keeping its content type', async () => {
    const data = randomBytes(11 * MB);
    commands.length = 0;
    await storage.put('specifics/big-upload', streamOf(data), 'image/jpeg');

    expect(commands).toContain('CreateMultipartUploadCommand');
    expect(commands.filter((name) => name === 'UploadPartCommand').length).toBeGreaterThanOrEqual(2);
    expect(commands).toContain('CompleteMultipartUploadCommand');
    expect(await contentTypeOf('specifics/big-upload')).toBe('image/jpeg');
    expect(sha256((await storage.read('specifics/big-upload'))!)).toBe(sha256(data));
  });

  it('builds clients that store a raw streamed PutObject byte for byte, without aws-chunked framing', async () => {
    // S3Storage's own uploads send buffered parts; this is the request that the SDK's default checksums corrupt on s3rver.
    const data = randomBytes(100_000);
    await client.send(new PutObjectCommand({ Bucket: server.bucket, Key: 'specifics/raw-stream', Body: streamOf(data), ContentLength: data.length }));
    expect(await storage.read('specifics/raw-stream')).toEqual(data);
  });

  it('names the object in errors other than "not found", and does not mistake a missing bucket for a missing key', async () => {
    const wrongBucket = new S3Storage(s3Options('no-such-bucket'), client);
    const named = /s3:\/\/no-such-bucket\/specifics\/x\.webp/;
    await expect(wrongBucket.put('specifics/x.webp', Buffer.from('x'), 'image/webp')).rejects.toThrow(named);
    await expect(wrongBucket.get('specifics/x.webp')).rejects.toThrow(/NoSuchBucket/);
    await expect(wrongBucket.read('specifics/x.webp')).rejects.toThrow(named);
    await expect(collectPages(wrongBucket.list('specifics/'))).rejects.toThrow(/no-such-bucket\/specifics\//);
  });
});

describe('createStorage', () => {
  afterAll(() => {
    vi.unstubAllEnvs();
  });

  it('builds a working S3 storage from the environment, AWS keys included', async () => {
    // Nothing in process.env: the keys reach the client only through loadConfig().
    vi.stubEnv('AWS_ACCESS_KEY_ID', undefined);
    vi.stubEnv('AWS_SECRET_ACCESS_KEY', undefined);
    vi.stubEnv('AWS_PROFILE', undefined);
    const config = loadConfig({ ...testEnv(), ...server.env });

    const storage = createStorage(config.storage);
    expect(storage).toBeInstanceOf(S3Storage);
    expect((storage as S3Storage).bucket).toBe(server.bucket);

    // A streamed multipart upload read back intact also proves the client it built skips aws-chunked checksums.
    const data = randomBytes(6 * MB);
    await storage.put('from-env/upload', streamOf(data), 'image/jpeg');
    const { client } = recordingClient();
    try {
      expect(await new S3Storage(s3Options(), client).exists('from-env/upload')).toBe(true);
    } finally {
      client.destroy();
    }
    expect(sha256((await storage.read('from-env/upload'))!)).toBe(sha256(data));
  });
});
