/**
 * One frame of a video, as a PNG, decoded by Debian's ffmpeg (scripts/ensure-ffmpeg.sh
 * installs it; nothing is downloaded at install). ffmpeg parses the video, which comes
 * from the user's library, so it is treated as a parser of hostile input:
 * - spawned with an argument list, never a shell, on a file path (or a descriptor this
 *   process holds, passed as the child's fd 3), never on a URL: `-protocol_whitelist
 *   file` and the demuxer forced to QuickTime/MP4 (`-f mov`), so a file cannot make it
 *   open a playlist, another file of the server or the network;
 * - one thread, a wall-clock time limit (SIGKILL past it), and through prlimit (util-linux)
 *   when present, a CPU-time and an address-space limit;
 * - its output capped in bytes; the frame is scaled to fit POSTER_MAX_SIZE before it is
 *   written, and turned upright by ffmpeg (the rotation the video asks for is applied).
 * A missing ffmpeg, a time-out or a failure is a PosterFrameError with a reason; the
 * video is still ingested with its metadata (photo-ingest.service.ts notes the reason).
 */
import { spawn } from 'node:child_process';
import { access, constants } from 'node:fs/promises';

export const POSTER_MAX_SIZE = 2048;
const MAX_OUTPUT_BYTES = 48 * 1024 * 1024;
const ADDRESS_SPACE_BYTES = 3 * 1024 * 1024 * 1024;
const PRLIMIT = '/usr/bin/prlimit';

export interface PosterFrameOptions {
  /** The ffmpeg binary (FFMPEG_PATH); default `ffmpeg` on PATH. */
  ffmpegPath?: string;
  timeoutMs: number;
  /** Seconds into the video (clamped to its length); the first frame is a fallback. */
  atSeconds?: number;
}

export class PosterFrameError extends Error {
  constructor(readonly reason: string) {
    super(reason);
    this.name = 'PosterFrameError';
  }
}

const PROC_FD = /^\/proc\/self\/fd\/(\d+)$/;

/**
 * A PNG of one frame, upright, at most POSTER_MAX_SIZE a side. `input` is a path; a
 * `/proc/self/fd/N` path (a local file opened and checked by this process) is handed to
 * ffmpeg as its own fd 3, so it reads the very file that was checked.
 */
export async function posterFrame(input: string, durationSeconds: number | null, options: PosterFrameOptions): Promise<Buffer> {
  const at = Math.max(0, Math.min(options.atSeconds ?? 1, durationSeconds !== null ? durationSeconds / 2 : 1));
  if (at === 0) return nonEmpty(await runFfmpeg(input, 0, options));
  const first = await runFfmpeg(input, at, options).catch((error: unknown) => {
    // Missing or killed: trying again would fail or take as long again.
    if (error instanceof PosterFrameError && /not installed|longer than|stopped/.test(error.reason)) throw error;
    return Buffer.alloc(0);
  });
  if (first.length) return first;
  // A seek some decoders cannot make (old Motion JPEG QuickTime) or past the last frame: the first frame then.
  return nonEmpty(await runFfmpeg(input, 0, options));
}

function nonEmpty(png: Buffer): Buffer {
  if (!png.length) throw new PosterFrameError('ffmpeg decoded no frame');
  return png;
}

async function runFfmpeg(input: string, atSeconds: number, { ffmpegPath = 'ffmpeg', timeoutMs }: PosterFrameOptions): Promise<Buffer> {
  const inherited = PROC_FD.exec(input);
  const source = inherited ? '/proc/self/fd/3' : input;
  const ffmpegArgs = [
    '-hide_banner',
    '-loglevel',
    'error',
    '-nostdin',
    '-threads',
    '1',
    '-protocol_whitelist',
    'file',
    '-f',
    'mov',
    '-ss',
    atSeconds.toFixed(3),
    '-i',
    source,
    '-map',
    '0:v:0',
    '-frames:v',
    '1',
    '-an',
    '-sn',
    '-dn',
    '-vf',
    `scale=w='min(${POSTER_MAX_SIZE},iw)':h='min(${POSTER_MAX_SIZE},ih)':force_original_aspect_ratio=decrease`,
    '-f',
    'image2pipe',
    '-c:v',
    'png',
    'pipe:1',
  ];
  const cpuSeconds = Math.max(1, Math.ceil(timeoutMs / 1000));
  const limited = await usable(PRLIMIT);
  const [command, args] = limited
    ? [PRLIMIT, [`--as=${ADDRESS_SPACE_BYTES}`, `--cpu=${cpuSeconds}`, '--core=0', '--', ffmpegPath, ...ffmpegArgs]]
    : [ffmpegPath, ffmpegArgs];
  return new Promise<Buffer>((resolve, reject) => {
    const stdio: Array<'ignore' | 'pipe' | number> = ['ignore', 'pipe', 'pipe'];
    if (inherited) stdio.push(Number(inherited[1]));
    let child;
    try {
      child = spawn(command, args, { stdio, shell: false, env: { PATH: process.env.PATH ?? '/usr/bin:/bin' } });
    } catch (error) {
      return reject(new PosterFrameError(`ffmpeg could not be started (${(error as Error).message})`));
    }
    const chunks: Buffer[] = [];
    let bytes = 0;
    let errorText = '';
    let settled = false;
    const finish = (outcome: Buffer | PosterFrameError) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (outcome instanceof PosterFrameError) reject(outcome);
      else resolve(outcome);
    };
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      finish(new PosterFrameError(`ffmpeg took longer than ${Math.round(timeoutMs / 1000)} s`));
    }, timeoutMs);
    child.stdout!.on('data', (chunk: Buffer) => {
      bytes += chunk.length;
      if (bytes > MAX_OUTPUT_BYTES) {
        child.kill('SIGKILL');
        return finish(new PosterFrameError('ffmpeg wrote more than a frame'));
      }
      chunks.push(chunk);
    });
    child.stderr!.on('data', (chunk: Buffer) => {
      if (errorText.length < 2000) errorText += chunk.toString('utf8');
    });
    child.on('error', (error: NodeJS.ErrnoException) => {
      finish(
        new PosterFrameError(error.code === 'ENOENT' ? 'ffmpeg is not installed' : `ffmpeg could not be started (${error.code ?? error.message})`),
      );
    });
    child.on('close', (code, signal) => {
      if (code === 0) return finish(Buffer.concat(chunks));
      if (code === 127 && limited) return finish(new PosterFrameError('ffmpeg is not installed'));
      const said = lastLine(errorText);
      finish(new PosterFrameError(signal ? `ffmpeg was stopped (${signal})` : `ffmpeg could not decode the video${said ? `: ${said}` : ''}`));
    });
  });
}

const checked = new Map<string, Promise<boolean>>();

function usable(path: string): Promise<boolean> {
  let result = checked.get(path);
  if (!result) {
    result = access(path, constants.X_OK).then(
      () => true,
      () => false,
    );
    checked.set(path, result);
  }
  return result;
}

/** ffmpeg's last message, without paths (they would name the server's files). */
function lastLine(text: string): string {
  const line = text.trim().split('\n').filter(Boolean).at(-1) ?? '';
  return line.replace(/\/[^\s:]+/g, '…').slice(0, 200);
}
