import type { AppConfig } from '../config.js';
import { LocalDiskStorage } from './local-disk-storage.js';
import { S3Storage } from './s3-storage.js';
import type { ObjectStorage } from './storage.js';

export function createStorage(config: AppConfig['storage']): ObjectStorage {
  switch (config.kind) {
    case 'local':
      return new LocalDiskStorage(config.root);
    case 's3':
      return new S3Storage(config);
  }
}
