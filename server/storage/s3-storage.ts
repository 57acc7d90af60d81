/**
 * Object storage on an S3 bucket: AWS S3, Cloudflare R2 (region "auto" and its
 * endpoint) or MinIO (path-style). Credentials come from the SDK's default chain.
 */
import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import type { AppConfig } from '../config.js';
import type { ByteRange, ObjectStorage } from './storage.js';
import { assertSafeKey } from './storage-keys.js';

export type S3StorageOptions = Omit<Extract<AppConfig['storage'], { kind: 's3' }>, 'kind'>;

/** Keys from the configuration when given there, else the SDK's default chain (profile, instance or task role). */
export function createS3Client({ region, endpoint, forcePathStyle, credentials }: S3StorageOptions): S3Client {
  return new S3Client({
    region,
    ...(credentials ? { credentials } : {}),
    endpoint: endpoint ?? undefined,
    forcePathStyle,
    // The SDK's default sends streamed bodies aws-chunked with trailing checksums; S3-compatible servers
    // such as s3rver and older MinIO store the chunk framing as object bytes or reject the checksum headers.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
}

export class S3Storage implements ObjectStorage {
  readonly bucket: string;
  private readonly client: S3Client;

  constructor(options: S3StorageOptions, client?: S3Client) {
    this.bucket = options.bucket;
    this.client = client ?? createS3Client(options);
  }

  async put(key: string, body: Buffer | Readable, contentType: string): Promise<void> {
    assertSafeKey(key);
    try {
      if (Buffer.isBuffer(body)) {
        await this.client.send(
          new PutObjectCommand({ Bucket: this.bucket, Key: key, Body: body, ContentLength: body.length, ContentType: contentType }),
        );
      } else {
        // A stream of unknown length: lib-storage sends it as one PutObject when it fits one part, multipart otherwise.
        await new Upload({ client: this.client, params: { Bucket: this.bucket, Key: key, Body: body, ContentType: contentType } }).done();
      }
    } catch (error) {
      throw this.failure('put', key, error);
    }
  }

  async get(key: string, range?: ByteRange): Promise<{ body: Readable; size: number } | null> {
    assertSafeKey(key);
    try {
      const { Body, ContentLength, ContentRange } = await this.client.send(
        new GetObjectCommand({ Bucket: this.bucket, Key: key, ...(range ? { Range: `bytes=${range.start}-${range.end}` } : {}) }),
      );
      if (!(Body instanceof Readable)) throw new Error('the response body is not a Node stream');
      // A ranged answer's length is the range's; the whole object's size is after the slash of Content-Range.
      const size = range ? Number(/\/(\d+)$/.exec(ContentRange ?? '')?.[1] ?? Number.NaN) : ContentLength;
      if (size === undefined || !Number.isFinite(size)) {
        Body.destroy();
        throw new Error('the response has no Content-Length or Content-Range');
      }
      return { body: Body, size };
    } catch (error) {
      if (isNotFound(error)) return null;
      throw this.failure('get', key, error);
    }
  }

  async read(key: string): Promise<Buffer | null> {
    const object = await this.get(key);
    if (!object) return null;
    try {
      return await buffer(object.body);
    } catch (error) {
      throw this.failure('read', key, error);
    }
  }

  async exists(key: string): Promise<boolean> {
    assertSafeKey(key);
    try {
      await this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key: key }));
      return true;
    } catch (error) {
      if (isNotFound(error)) return false;
      throw this.failure('exists', key, error);
    }
  }

  async delete(key: string): Promise<void> {
    assertSafeKey(key);
    try {
      await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: key }));
    } catch (error) {
      if (isNotFound(error)) return;
      throw this.failure('delete', key, error);
    }
  }

  /** A prefix names a folder, as on local disk: "a/b" lists "a/b/…", never "a/bc". */
  async *list(prefix: string) {
    const folder = prefix.replace(/\/$/, '');
    assertSafeKey(folder);
    let continuationToken: string | undefined;
    do {
      let page;
      try {
        page = await this.client.send(new ListObjectsV2Command({ Bucket: this.bucket, Prefix: `${folder}/`, ContinuationToken: continuationToken }));
      } catch (error) {
        throw this.failure('list', `${folder}/`, error);
      }
      const objects = (page.Contents ?? []).flatMap((object) =>
        object.Key === undefined ? [] : [{ key: object.Key, size: object.Size ?? 0, modifiedAt: object.LastModified ?? new Date(0) }],
      );
      if (objects.length) yield objects;
      continuationToken = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (continuationToken);
  }

  private failure(action: string, key: string, error: unknown): Error {
    const reason = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    return new Error(`S3 ${action} of s3://${this.bucket}/${key} failed: ${reason}`, { cause: error });
  }
}

/** HEAD responses have no body, so a missing key shows only as "NotFound"; a missing bucket stays an error elsewhere. */
function isNotFound(error: unknown): boolean {
  if (!(error instanceof S3ServiceException)) return false;
  if (error.name === 'NoSuchKey' || error.name === 'NotFound') return true;
  return error.$metadata.httpStatusCode === 404 && error.name !== 'NoSuchBucket';
}
