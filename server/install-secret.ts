/**
 * Outside production, when SESSION_SECRET is not set: a secret of this install's
 * own instead of a constant in the source (which would let anyone who read the
 * source forge media URLs, unsubscribe links and session cookies of any dev
 * instance). Generated once, kept in DATA_DIR readable by its owner only, and the
 * same for every process of the install, so web and worker sign and check alike.
 * Called by server/config.ts only.
 */
import { randomBytes } from 'node:crypto';
import { chmodSync, linkSync, mkdirSync, readFileSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const INSTALL_SECRET_FILE = 'install-secret';
const MIN_LENGTH = 32;

export function installSecret(dataDir: string): string {
  const path = join(dataDir, INSTALL_SECRET_FILE);
  const existing = readSecret(path);
  if (existing) return existing;
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  // Written whole under another name, then linked into place: a process starting at the
  // same moment (web and worker do) either wins the link or reads the winner's file, never half of one.
  const draft = `${path}.${process.pid}.${randomBytes(6).toString('hex')}`;
  writeFileSync(draft, `${randomBytes(48).toString('base64url')}\n`, { mode: 0o600, flag: 'wx' });
  try {
    linkSync(draft, path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  } finally {
    unlinkSync(draft);
  }
  const secret = readSecret(path);
  if (!secret) throw new Error(`${path} vanished while it was being created`);
  return secret;
}

function readSecret(path: string): string | null {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
  // Copied or restored with looser permissions: others on the machine must not read it.
  if (statSync(path).mode & 0o077) chmodSync(path, 0o600);
  const secret = text.trim();
  if (secret.length < MIN_LENGTH) throw new Error(`${path} holds no usable secret (${MIN_LENGTH}+ characters); delete it and a new one is made`);
  return secret;
}
