import { getTableName, is } from 'drizzle-orm';
import { getTableConfig, MySqlTable } from 'drizzle-orm/mysql-core';
import { describe, expect, it } from 'vitest';
import * as schema from '../../drizzle/schema/index.js';
import { USER_SCOPED_TABLES } from './account.repository.js';

describe('account deletion', () => {
  it('knows every table of the schema that holds rows of a user', () => {
    const withUserId = Object.values(schema as Record<string, unknown>)
      .filter((value): value is MySqlTable => is(value, MySqlTable))
      .filter((table) => getTableConfig(table).columns.some((column) => column.name === 'user_id'))
      .map((table) => getTableName(table))
      .sort();
    expect(withUserId.length).toBeGreaterThan(0);
    expect(
      Object.values(USER_SCOPED_TABLES)
        .map((table) => getTableName(table))
        .sort(),
    ).toEqual(withUserId);
  });
});
