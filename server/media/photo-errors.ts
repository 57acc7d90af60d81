/**
 * A photo that can never be ingested as it is: empty, not an image, truncated,
 * too large, or with absurd metadata. The ingest job records `reason` on the
 * photo row (shown to the user) and does not retry.
 */
export class InvalidPhotoError extends Error {
  constructor(
    /** One sentence a user can read, e.g. "The file is empty". */
    readonly reason: string,
    options?: { cause?: unknown },
  ) {
    super(reason, options);
    this.name = 'InvalidPhotoError';
  }
}
