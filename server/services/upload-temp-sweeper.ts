import type { Logger } from '../logger.js';
import type { UploadService } from './upload.service.js';

/**
 * Upload temp files are on the disk of the web server that received them, so each
 * web process sweeps its own folder: once at start (what a crash or kill -9 left)
 * and then every few minutes. Only files untouched for an hour go: one being
 * received is written all the time, one being stored is read within minutes.
 */
export const UPLOAD_TEMP_MAX_AGE_MS = 60 * 60_000;
const SWEEP_EVERY_MS = 10 * 60_000;

export function startUploadTempSweeper(uploads: Pick<UploadService, 'sweepTempFiles'>, logger: Pick<Logger, 'info' | 'warn'>) {
  let running: Promise<void> = Promise.resolve();
  const sweep = () => {
    running = uploads.sweepTempFiles(UPLOAD_TEMP_MAX_AGE_MS).then(
      (removed) => {
        if (removed) logger.info({ removed }, 'removed upload temp files left behind');
      },
      (error: unknown) => logger.warn({ err: error }, 'could not sweep upload temp files'),
    );
  };
  sweep();
  const timer = setInterval(sweep, SWEEP_EVERY_MS);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
