// The built server migrates from dist/drizzle/migrations; tsc does not copy SQL.
import { cpSync } from 'node:fs';
cpSync('drizzle/migrations', 'dist/drizzle/migrations', { recursive: true });
