/**
 * HEIC/HEIF decoding with libheif compiled to WebAssembly (the libheif-js
 * package: libheif and libde265, nothing downloaded at install or run time).
 * sharp's prebuilt libvips has no HEVC decoder, so this turns a HEIC into raw
 * RGBA pixels that sharp then resizes, hashes and encodes like any other photo.
 *
 * The decoder runs in one worker thread per process, one picture at a time:
 * - WebAssembly runs synchronously, so off the main thread the event loop keeps
 *   renewing job locks and serving other jobs while a 12-megapixel frame decodes
 *   (about a second here);
 * - a decode that runs past its time limit (a crafted file, a bomb that hides its
 *   size) is stopped by terminating the thread, which a synchronous call on the
 *   main thread could never be;
 * - the WebAssembly heap only ever grows (to about 150 MB for 16 megapixels), so
 *   the thread is ended after a large decode and when idle, which gives it back.
 * One at a time also bounds memory: one RGBA frame (48 MB at 12 megapixels) in
 * flight per process, whatever the queue's concurrency.
 *
 * The thread's code is plain JavaScript evaluated by Node (no file to resolve, so
 * it works the same under tsx, vitest and the compiled build); it loads the
 * package from the path resolved here.
 */
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

export interface DecodedHeic {
  /** Upright as libheif sees it: the file's irot/imir transforms are applied. */
  width: number;
  height: number;
  /** RGBA, 8 bits a channel, width × height × 4 bytes. */
  data: Buffer;
}

export interface DecodeHeicOptions {
  /** A larger primary image is refused before its pixels are decoded. */
  maxPixels: number;
  /** The decode is stopped (and the file refused) after this long. */
  timeoutMs?: number;
}

/** The file itself cannot be decoded: libheif's own reason, or too large, or too slow. A retry would fail the same way. */
export class HeicDecodeError extends Error {
  constructor(
    message: string,
    readonly kind: 'corrupt' | 'too-large' | 'too-slow',
  ) {
    super(message);
    this.name = 'HeicDecodeError';
  }
}

export const DEFAULT_HEIC_TIMEOUT_MS = 60_000;
/** After a decode that grew the WebAssembly heap past this, the thread is ended to give the memory back. */
const RECYCLE_HEAP_BYTES = 256 * 1024 * 1024;
const IDLE_STOP_MS = 30_000;

const THREAD_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
// libheif-js reports problems with console.log as well as in its return values; the return values are what we use.
console.log = () => {};
const libheif = require(workerData.libheifPath);

function decode(bytes, maxPixels) {
  const decoder = new libheif.HeifDecoder();
  const images = decoder.decode(bytes);
  const release = () => {
    for (const image of images) image.free();
    if (decoder.decoder) libheif.heif_context_free(decoder.decoder);
  };
  if (images.length === 0) {
    release();
    return Promise.resolve({ error: 'no image could be read from the file', kind: 'corrupt' });
  }
  const primary = images.find((image) => image.is_primary()) || images[0];
  const width = primary.get_width();
  const height = primary.get_height();
  if (!(width > 0 && height > 0)) {
    release();
    return Promise.resolve({ error: 'the image has no pixels', kind: 'corrupt' });
  }
  if (width * height > maxPixels) {
    release();
    return Promise.resolve({ error: width + 'x' + height, kind: 'too-large' });
  }
  const buffer = new ArrayBuffer(width * height * 4);
  return new Promise((resolve) => {
    primary.display({ data: new Uint8ClampedArray(buffer), width, height }, (shown) => {
      release();
      resolve(shown ? { width, height, buffer } : { error: 'the HEVC data could not be decoded', kind: 'corrupt' });
    });
  });
}

parentPort.on('message', async ({ id, bytes, maxPixels }) => {
  try {
    const result = await decode(new Uint8Array(bytes), maxPixels);
    const heapBytes = libheif.HEAP8 ? libheif.HEAP8.buffer.byteLength : 0;
    parentPort.postMessage({ id, heapBytes, ...result }, result.buffer ? [result.buffer] : []);
  } catch (error) {
    parentPort.postMessage({ id, error: String(error && error.message ? error.message : error), kind: 'corrupt' });
  }
});
`;

interface ThreadAnswer {
  id: number;
  heapBytes?: number;
  width?: number;
  height?: number;
  buffer?: ArrayBuffer;
  error?: string;
  kind?: HeicDecodeError['kind'];
}

let libheifPath: string | null = null;
function resolveLibheif(): string {
  libheifPath ??= createRequire(import.meta.url).resolve('libheif-js/wasm-bundle');
  return libheifPath;
}

class DecoderThread {
  private worker: Worker | null = null;
  private idleTimer: NodeJS.Timeout | null = null;
  private nextId = 0;
  /** Decodes run one after another: each waits for the previous one to settle. */
  private queue: Promise<unknown> = Promise.resolve();

  decode(bytes: Buffer, options: DecodeHeicOptions): Promise<DecodedHeic> {
    const run = this.queue.then(() => this.run(bytes, options));
    this.queue = run.catch(() => {});
    return run;
  }

  private start(): Worker {
    const worker = new Worker(THREAD_SOURCE, { eval: true, workerData: { libheifPath: resolveLibheif() } });
    // A decoder waiting for work never keeps the process alive.
    worker.unref();
    this.worker = worker;
    return worker;
  }

  private stop(): void {
    const worker = this.worker;
    this.worker = null;
    if (worker) void worker.terminate();
  }

  private run(bytes: Buffer, { maxPixels, timeoutMs = DEFAULT_HEIC_TIMEOUT_MS }: DecodeHeicOptions): Promise<DecodedHeic> {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    const worker = this.worker ?? this.start();
    const id = ++this.nextId;
    return new Promise<DecodedHeic>((resolve, reject) => {
      const settle = () => {
        clearTimeout(timer);
        worker.off('message', onMessage);
        worker.off('error', onError);
        worker.off('exit', onExit);
        this.idleTimer = setTimeout(() => this.stop(), IDLE_STOP_MS).unref();
      };
      const timer = setTimeout(() => {
        settle();
        this.stop();
        reject(
          new HeicDecodeError(`decoding took longer than ${timeoutMs >= 1000 ? `${Math.round(timeoutMs / 1000)} s` : `${timeoutMs} ms`}`, 'too-slow'),
        );
      }, timeoutMs);
      const onMessage = (answer: ThreadAnswer) => {
        if (answer.id !== id) return;
        settle();
        if ((answer.heapBytes ?? 0) > RECYCLE_HEAP_BYTES) this.stop();
        if (answer.buffer && answer.width && answer.height) {
          resolve({ width: answer.width, height: answer.height, data: Buffer.from(answer.buffer) });
        } else {
          reject(new HeicDecodeError(answer.error ?? 'unknown error', answer.kind ?? 'corrupt'));
        }
      };
      // The thread itself failed (out of memory, a bug): not the file's fault, so a plain error the job may retry.
      const onError = (error: Error) => {
        settle();
        this.stop();
        reject(new Error(`the HEIC decoder stopped: ${error.message}`, { cause: error }));
      };
      const onExit = (code: number) => onError(new Error(`its thread exited with code ${code}`));
      worker.on('message', onMessage);
      worker.on('error', onError);
      worker.on('exit', onExit);
      // A copy: the caller keeps its buffer (the content hash and EXIF readers share it).
      const copy = new Uint8Array(bytes.byteLength);
      copy.set(bytes);
      worker.postMessage({ id, bytes: copy.buffer, maxPixels }, [copy.buffer]);
    });
  }
}

const thread = new DecoderThread();

/**
 * The primary image of a HEIC/HEIF file as RGBA. Throws HeicDecodeError when the
 * file cannot be decoded, is larger than `maxPixels`, or takes longer than the limit.
 */
export function decodeHeic(bytes: Buffer, options: DecodeHeicOptions): Promise<DecodedHeic> {
  return thread.decode(bytes, options);
}
