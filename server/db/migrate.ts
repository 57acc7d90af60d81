import { fileURLToPath } from 'node:url';
import { drizzle } from 'drizzle-orm/mysql2';
import { migrate } from 'drizzle-orm/mysql2/migrator';
import mysql from 'mysql2/promise';

/** Beside this module in the source tree and in dist/ alike (the build copies the SQL). */
export const MIGRATIONS_FOLDER = fileURLToPath(new URL('../../drizzle/migrations', import.meta.url));

export function databaseNameOf(url: string): string {
  const name = decodeURIComponent(new URL(url).pathname.replace(/^\//, ''));
  if (!/^[A-Za-z0-9_]{1,64}$/.test(name)) {
    throw new Error(`DATABASE_URL must name a database of letters, digits and _ (got "${name}")`);
  }
  return name;
}

function serverUrlOf(url: string): string {
  const server = new URL(url);
  server.pathname = '/';
  return server.toString();
}

/** CREATE DATABASE IF NOT EXISTS, then apply drizzle's committed migrations in order. */
export async function migrateDatabase(url: string): Promise<void> {
  const name = databaseNameOf(url);
  const admin = await mysql.createConnection({ uri: serverUrlOf(url), connectTimeout: 5_000 });
  try {
    await admin.query(`CREATE DATABASE IF NOT EXISTS \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
  } finally {
    await admin.end();
  }
  const connection = await mysql.createConnection({ uri: url, connectTimeout: 5_000, multipleStatements: false });
  try {
    // The programmatic migrator reports SQL errors (drizzle-kit migrate can exit 1 silently).
    await migrate(drizzle({ client: connection }), { migrationsFolder: MIGRATIONS_FOLDER });
  } finally {
    await connection.end();
  }
}

export async function dropDatabase(url: string): Promise<void> {
  const name = databaseNameOf(url);
  const admin = await mysql.createConnection({ uri: serverUrlOf(url), connectTimeout: 5_000 });
  try {
    await admin.query(`DROP DATABASE IF EXISTS \`${name}\``);
  } finally {
    await admin.end();
  }
}
