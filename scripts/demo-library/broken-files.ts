/** Files a real library contains that are not usable photos. */

/** The first part of a file, as left by an interrupted copy or download. */
export function truncatedCopy(file: Buffer, keptFraction = 0.5): Buffer {
  return Buffer.from(file.subarray(0, Math.floor(file.length * keptFraction)));
}

/** A text file someone saved with a .jpg name. */
export function textFileNamedJpeg(): Buffer {
  return Buffer.from('Setlist scribbled on my phone:\n1. Intro\n2. Opener\n3. The hit everyone waited for\n', 'utf8');
}

export function emptyFile(): Buffer {
  return Buffer.alloc(0);
}
