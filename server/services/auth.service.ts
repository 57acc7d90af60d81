import type { ChangePasswordInput, LoginInput, SignupInput } from '../../shared/auth.schema.js';
import { ConflictError, InvalidCredentialsError, ValidationError } from '../errors.js';
import type { LoginLimits } from '../rate-limit/limits.js';
import type { AccountRepository } from '../repositories/account.repository.js';
import type { UserRepository, UserSummary } from '../repositories/user.repository.js';
import type { PasswordHasher } from './password-hasher.js';

export class AuthService {
  /** Verified against when the email is unknown, so a miss costs as long as a wrong password. */
  private decoyHash: Promise<string> | undefined;

  constructor(
    private readonly users: UserRepository,
    private readonly hasher: PasswordHasher,
    private readonly loginLimits: Pick<LoginLimits, 'check' | 'failed' | 'succeeded'>,
    private readonly passwordHashes: Pick<AccountRepository, 'passwordHashOf'>,
  ) {}

  async signup(input: SignupInput): Promise<UserSummary> {
    const passwordHash = await this.hasher.hash(input.password);
    const user = await this.users.insert({ email: input.email, name: input.name, passwordHash });
    if (!user) throw new ConflictError('An account with this email already exists');
    return user;
  }

  /** `clientIp` feeds the brute-force limits (see LoginLimits); they are checked before the password. */
  async login(input: LoginInput, clientIp: string): Promise<UserSummary> {
    return this.underLoginLimits(input.email, clientIp, async () => {
      const user = await this.verify(input);
      await this.loginLimits.succeeded(input.email, clientIp);
      return user;
    });
  }

  /**
   * Runs a password check under the login limits: a wrong password
   * (InvalidCredentialsError) counts as a failed login. Login, password change and
   * account deletion all go through it, so a stolen session cannot guess freely.
   */
  async underLoginLimits<T>(email: string, clientIp: string, check: () => Promise<T>): Promise<T> {
    await this.loginLimits.check(email, clientIp);
    try {
      return await check();
    } catch (error) {
      if (error instanceof InvalidCredentialsError) await this.loginLimits.failed(email, clientIp);
      throw error;
    }
  }

  /**
   * Checks the current password under the login limits (a stolen session must not
   * become a password oracle), then stores the new one's hash.
   */
  async changePassword(user: UserSummary, input: ChangePasswordInput, clientIp: string): Promise<void> {
    try {
      await this.underLoginLimits(user.email, clientIp, async () => {
        const current = await this.passwordHashes.passwordHashOf(user.id);
        if (!current || !(await this.hasher.verify(current, input.currentPassword))) throw new InvalidCredentialsError();
      });
    } catch (error) {
      // A mistake in the form (BAD_REQUEST), not a failed sign-in: the session stays.
      if (error instanceof InvalidCredentialsError) throw new ValidationError('The current password is wrong');
      throw error;
    }
    await this.users.updatePasswordHash(user.id, await this.hasher.hash(input.newPassword));
  }

  private async verify(input: LoginInput): Promise<UserSummary> {
    const found = await this.users.findCredentialsByEmail(input.email);
    if (!found) {
      this.decoyHash ??= this.hasher.hash('decoy password for timing');
      await this.hasher.verify(await this.decoyHash, input.password);
      throw new InvalidCredentialsError();
    }
    if (!(await this.hasher.verify(found.passwordHash, input.password))) throw new InvalidCredentialsError();
    const { passwordHash: _, ...user } = found;
    return user;
  }
}
