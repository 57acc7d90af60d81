import { inject } from 'vitest';
import { dropDatabase, migrateDatabase } from '../../server/db/migrate.js';

/**
 * A database of this test file's own, migrated from empty. For tests whose outcome
 * depends on data every user shares (venues, other fans' concerts), which test
 * files running in parallel on the run's database would otherwise change under them.
 */
export async function ownDatabase(label: string) {
  const url = `${inject('databaseUrl')}_${label}`;
  await migrateDatabase(url);
  return { url, drop: () => dropDatabase(url) };
}
