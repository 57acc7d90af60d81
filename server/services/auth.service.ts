import type { ChangePasswordInput, LoginInput, SignupInput, UpdateProfileInput } from '../../shared/auth.schema.js';
import { ConflictError, InvalidCredentialsError, ValidationError } from '../errors.js';
import type { RateLimits, ReservedAttempt } from '../rate-limit/limits.js';
import type { AccountRepository } from '../repositories/account.repository.js';
import type { UserRepository, UserSummary } from '../repositories/user.repository.js';
import type { PasswordHasher } from './password-hasher.js';

/** Logs the new or returning user in on this request (the session), or throws. */
export type EstablishSession = (user: UserSummary) => Promise<void>;

export class AuthService {
  /** Verified against when the email is unknown, so a miss costs as long as a wrong password. */
  private decoyHash: Promise<string> | undefined;

  constructor(
    private readonly users: UserRepository,
    private readonly hasher: PasswordHasher,
    private readonly limits: Pick<RateLimits, 'login' | 'reserveSignup'>,
    private readonly accounts: Pick<AccountRepository, 'passwordHashOf' | 'deleteUser'>,
  ) {}

  /** Creates an account, with no limit and no session: for scripts and benchmarks. The web goes through `register`. */
  async signup(input: SignupInput): Promise<UserSummary> {
    const passwordHash = await this.hasher.hash(input.password);
    const user = await this.users.insert({ email: input.email, name: input.name, passwordHash });
    if (!user) throw new ConflictError('An account with this email already exists');
    return user;
  }

  /**
   * Sign-up from the web: under the per-address sign-up limit (taken first, so a Redis
   * outage refuses before anything is written), then the account, then its session. If
   * the session cannot be stored the account is removed again: the person gets an error
   * and can simply retry, never an account they were told was not created.
   *
   * "An account with this email already exists" tells anyone that an email has an account.
   * Without mandatory mail (SMTP is optional) there is no channel to say it privately; the
   * per-address limit, which counts these attempts too, keeps such probing slow.
   */
  async register(input: SignupInput, clientIp: string, establish: EstablishSession): Promise<UserSummary> {
    const attempt = await this.limits.reserveSignup(clientIp);
    let user: UserSummary;
    try {
      user = await this.signup(input);
    } catch (error) {
      // A taken email counts as an attempt; a failure of ours does not.
      if (!(error instanceof ConflictError)) await attempt.refund();
      throw error;
    }
    try {
      // Where the account was made is a place its owner uses: failed logins of others there never lock them out.
      await this.limits.login.succeeded(user.email, clientIp);
      await establish(user);
    } catch (error) {
      await this.accounts.deleteUser(user.id);
      await attempt.refund();
      throw error;
    }
    return user;
  }

  /** `clientIp` feeds the brute-force limits (see LoginLimits); an attempt is reserved before the password is checked. */
  async login(input: LoginInput, clientIp: string): Promise<UserSummary> {
    return this.underLoginLimits(input.email, clientIp, async () => {
      const user = await this.verify(input);
      await this.limits.login.succeeded(input.email, clientIp);
      return user;
    });
  }

  /**
   * Runs a password check under the login limits: the attempt is reserved first (refused
   * with RateLimitedError when the limits are spent, before any password is looked at),
   * kept when the password was wrong (InvalidCredentialsError) and given back otherwise.
   * Login, password change and account deletion all go through it, so a stolen session
   * cannot guess freely, and many requests at once get no more guesses than one by one.
   */
  async underLoginLimits<T>(email: string, clientIp: string, check: () => Promise<T>): Promise<T> {
    const attempt: ReservedAttempt = await this.limits.login.reserve(email, clientIp);
    try {
      const result = await check();
      await attempt.refund();
      return result;
    } catch (error) {
      if (!(error instanceof InvalidCredentialsError)) await attempt.refund();
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
        const current = await this.accounts.passwordHashOf(user.id);
        if (!current || !(await this.hasher.verify(current, input.currentPassword))) throw new InvalidCredentialsError();
      });
    } catch (error) {
      // A mistake in the form (BAD_REQUEST), not a failed sign-in: the session stays.
      if (error instanceof InvalidCredentialsError) throw new ValidationError('The current password is wrong');
      throw error;
    }
    await this.users.updatePasswordHash(user.id, await this.hasher.hash(input.newPassword));
  }

  /**
   * A new name or e-mail. A new e-mail asks for the current password (under the login limits, like a password
   * change): a session left open must not hand the account to whoever sits at it. The place it was changed from
   * stays known to the account under its new e-mail.
   */
  async updateProfile(user: UserSummary, input: UpdateProfileInput, clientIp: string): Promise<UserSummary> {
    const emailChanged = input.email !== user.email;
    if (emailChanged) {
      if (!input.currentPassword) throw new ValidationError('Enter your current password to change your e-mail');
      try {
        await this.underLoginLimits(user.email, clientIp, async () => {
          const current = await this.accounts.passwordHashOf(user.id);
          if (!current || !(await this.hasher.verify(current, input.currentPassword!))) throw new InvalidCredentialsError();
        });
      } catch (error) {
        if (error instanceof InvalidCredentialsError) throw new ValidationError('The current password is wrong');
        throw error;
      }
    }
    if (!(await this.users.updateProfile(user.id, { name: input.name, email: input.email }))) {
      throw new ConflictError('Another account already uses this e-mail');
    }
    if (emailChanged) await this.limits.login.succeeded(input.email, clientIp);
    return { ...user, name: input.name, email: input.email };
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
