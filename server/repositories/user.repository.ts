import { eq } from 'drizzle-orm';
import { users } from '../../drizzle/schema/index.js';
import type { Database } from '../db/client.js';

/** What the app shows and keeps in the session: never the password hash. */
export const userSummaryColumns = { id: users.id, email: users.email, name: users.name, role: users.role } as const;
export type UserSummary = Pick<typeof users.$inferSelect, 'id' | 'email' | 'name' | 'role'>;
export type NewUser = Pick<typeof users.$inferInsert, 'email' | 'name' | 'passwordHash'>;

export const homeCityColumns = {
  name: users.homeCityName,
  countryCode: users.homeCountryCode,
  latitude: users.homeLatitude,
  longitude: users.homeLongitude,
} as const;
export interface HomeCity {
  name: string;
  countryCode: string;
  latitude: number;
  longitude: number;
}

export class UserRepository {
  constructor(private readonly db: Database) {}

  /** Login reads the primary: a replica may not have the account created a moment ago. */
  async updatePasswordHash(userId: number, passwordHash: string): Promise<void> {
    await this.db.update(users).set({ passwordHash }).where(eq(users.id, userId));
  }

  async findCredentialsByEmail(email: string) {
    const [row] = await this.db.$primary
      .select({ ...userSummaryColumns, passwordHash: users.passwordHash })
      .from(users)
      .where(eq(users.email, email))
      .limit(1);
    return row ?? null;
  }

  /** The primary answers: a replica may not have an account created a moment ago (the session would seem orphaned). */
  async findSummaryById(userId: number): Promise<UserSummary | null> {
    const [row] = await this.db.$primary.select(userSummaryColumns).from(users).where(eq(users.id, userId)).limit(1);
    return row ?? null;
  }

  /** False when the email is another account's (the unique key decides). */
  async updateProfile(userId: number, profile: { name: string; email: string }): Promise<boolean> {
    try {
      await this.db.update(users).set(profile).where(eq(users.id, userId));
      return true;
    } catch (error) {
      if (isDuplicateKey(error)) return false;
      throw error;
    }
  }

  /** The user's home city (issue 19), or null if none is set. */
  async homeCityOf(userId: number): Promise<HomeCity | null> {
    const [row] = await this.db.select(homeCityColumns).from(users).where(eq(users.id, userId)).limit(1);
    if (!row || row.name === null || row.countryCode === null || row.latitude === null || row.longitude === null) return null;
    return { name: row.name, countryCode: row.countryCode, latitude: row.latitude, longitude: row.longitude };
  }

  /** Sets (or with null clears) the home city. */
  async setHomeCity(userId: number, home: HomeCity | null): Promise<void> {
    await this.db
      .update(users)
      .set({
        homeCityName: home?.name ?? null,
        homeCountryCode: home?.countryCode ?? null,
        homeLatitude: home?.latitude ?? null,
        homeLongitude: home?.longitude ?? null,
      })
      .where(eq(users.id, userId));
  }

  /** Returns null when the email is taken (the unique key decides, so two racing sign-ups cannot both win). */
  async insert(user: NewUser): Promise<UserSummary | null> {
    try {
      const [result] = await this.db.insert(users).values(user);
      return { id: result.insertId, email: user.email, name: user.name, role: 'user' };
    } catch (error) {
      if (isDuplicateKey(error)) return null;
      throw error;
    }
  }
}

export function isDuplicateKey(error: unknown): boolean {
  const cause = (error as { cause?: { code?: string } })?.cause ?? error;
  return (cause as { code?: string })?.code === 'ER_DUP_ENTRY';
}
