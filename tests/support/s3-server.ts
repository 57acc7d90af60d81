/**
 * A real S3-compatible server for tests of the S3 storage without AWS: s3rver,
 * data in a temp folder, checking SigV4 signatures against its one account
 * (S3RVER / S3RVER).
 *
 * It runs in a child Node process started with --openssl-legacy-provider, not in
 * the test process: s3rver 3.7.1 encrypts ListObjectsV2 continuation tokens with
 * DES, which OpenSSL 3 (Node 17+) only has in its legacy provider, so in a plain
 * Node 20 process every listing longer than one page fails with a 500 (s3rver
 * issue #818). The provider can only be switched on when a process starts.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startAndWait, stop, track } from './child-process.js';

// CommonJS run with `node -e`; its arguments are process.argv[1..]. The server
// stops when the test process closes its stdin, including when that process dies.
const SERVER_SCRIPT = `
const [s3rverPath, directory, bucket] = process.argv.slice(1);
const S3rver = require(s3rverPath);
new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory, configureBuckets: [{ name: bucket }] })
  .run()
  .then(({ port }) => console.log('s3rver listening on port ' + port))
  .catch((error) => { console.error(error); process.exit(1); });
process.stdin.on('end', () => process.exit(0)).resume();
`;

export interface S3TestServer {
  endpoint: string;
  bucket: string;
  region: 'us-east-1';
  accessKeyId: 'S3RVER';
  secretAccessKey: 'S3RVER';
  /** The variables that point loadConfig() and the SDK's credential chain at this server. */
  env: Record<string, string>;
  close(): Promise<void>;
}

export async function startS3Server(): Promise<S3TestServer> {
  const directory = await mkdtemp(join(tmpdir(), 'ch-s3rver-'));
  const bucket = `ch-test-${randomBytes(4).toString('hex')}`;
  const s3rverPath = createRequire(import.meta.url).resolve('s3rver');
  let started: Awaited<ReturnType<typeof startAndWait>>;
  try {
    started = await startAndWait(
      () =>
        track(
          's3rver',
          spawn(process.execPath, ['--openssl-legacy-provider', '-e', SERVER_SCRIPT, s3rverPath, directory, bucket], {
            stdio: ['pipe', 'pipe', 'pipe'],
          }),
        ),
      /s3rver listening on port (\d+)/,
    );
  } catch (error) {
    await rm(directory, { recursive: true, force: true });
    throw error;
  }
  const { child } = started;
  const port = started.match[1]!;
  const endpoint = `http://127.0.0.1:${port}`;
  return {
    endpoint,
    bucket,
    region: 'us-east-1',
    accessKeyId: 'S3RVER',
    secretAccessKey: 'S3RVER',
    env: {
      STORAGE: 's3',
      S3_ENDPOINT: endpoint,
      S3_BUCKET: bucket,
      S3_REGION: 'us-east-1',
      S3_FORCE_PATH_STYLE: 'true',
      AWS_ACCESS_KEY_ID: 'S3RVER',
      AWS_SECRET_ACCESS_KEY: 'S3RVER',
    },
    async close() {
      await stop(child);
      await rm(directory, { recursive: true, force: true });
    },
  };
}
