import type { AppConfig } from '../config.js';
import { LocalDiskStorage } from './local-disk-storage.js';
import type { ObjectStorage } from './storage.js';

export function createStorage(config: AppConfig['storage']): ObjectStorage {
  return new LocalDiskStorage(config.root);
}
