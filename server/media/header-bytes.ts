/** Reading a file's first bytes (format sniffing), where a short read yields '' or 0 rather than throwing. */

/** `length` bytes at `offset` as ASCII (a box type, a brand); '' when the bytes are not all there. */
export function ascii(bytes: Uint8Array, offset: number, length: number): string {
  if (bytes.length < offset + length) return '';
  return String.fromCharCode(...bytes.subarray(offset, offset + length));
}

/** A big-endian unsigned 32-bit integer at `offset`; 0 when the bytes are not all there. */
export function readUint32(bytes: Uint8Array, offset: number): number {
  if (bytes.length < offset + 4) return 0;
  return (
    (((bytes[offset] as number) << 24) |
      ((bytes[offset + 1] as number) << 16) |
      ((bytes[offset + 2] as number) << 8) |
      (bytes[offset + 3] as number)) >>>
    0
  );
}
