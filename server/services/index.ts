import type { Database } from '../db/client.js';
import { UserRepository } from '../repositories/user.repository.js';
import { AuthService } from './auth.service.js';
import { argon2PasswordHasher, type PasswordHasher } from './password-hasher.js';

export interface ServiceDependencies {
  db: Database;
  passwordHasher?: PasswordHasher;
}

/** Wires repositories into services once per process. */
export function createServices({ db, passwordHasher = argon2PasswordHasher }: ServiceDependencies) {
  const users = new UserRepository(db);
  return {
    auth: new AuthService(users, passwordHasher),
  };
}

export type Services = ReturnType<typeof createServices>;
