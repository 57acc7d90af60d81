import { loadConfigOrExit } from '../server/config.js';
import { databaseNameOf, migrateDatabase } from '../server/db/migrate.js';

const config = loadConfigOrExit();
try {
  await migrateDatabase(config.database.url);
  console.log(`Database "${databaseNameOf(config.database.url)}" is migrated.`);
} catch (error) {
  console.error(`Migration failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}
