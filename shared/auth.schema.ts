import { z } from 'zod';
import { commonPasswordReason } from './common-passwords.js';

/** Emails are compared and stored trimmed and lower-cased. */
export const emailSchema = z
  .string()
  .trim()
  .toLowerCase()
  .max(320, 'Email is too long')
  .pipe(z.email({ message: 'Enter a valid email address' }));

export const passwordSchema = z
  .string()
  .min(10, 'Password must be at least 10 characters')
  .max(200, 'Password must be at most 200 characters')
  .superRefine((password, context) => {
    const reason = commonPasswordReason(password);
    if (reason) context.addIssue({ code: 'custom', message: reason });
  });

const nameSchema = z.string().trim().min(1, 'Name is required').max(100, 'Name must be at most 100 characters');

export const signupInput = z.object({
  email: emailSchema,
  password: passwordSchema,
  name: nameSchema,
});
export type SignupInput = z.infer<typeof signupInput>;

export const loginInput = z.object({
  email: emailSchema,
  // Any length is accepted at login so that old or odd passwords still get a clear "wrong password".
  password: z.string().min(1, 'Password is required').max(200),
});
export type LoginInput = z.infer<typeof loginInput>;

export const deleteAccountInput = z.object({
  // Checked against the stored hash like a login, so any length gets a clear "wrong password".
  password: z.string().min(1, 'Enter your password to confirm').max(200),
});
export type DeleteAccountInput = z.infer<typeof deleteAccountInput>;

export const changePasswordInput = z.object({
  currentPassword: z.string().min(1, 'Enter your current password').max(200),
  newPassword: passwordSchema,
});
export type ChangePasswordInput = z.infer<typeof changePasswordInput>;

/** The account's name and e-mail; changing the e-mail asks for the current password. */
export const updateProfileInput = z.object({
  name: nameSchema,
  email: emailSchema,
  currentPassword: z.string().max(200).optional(),
});
export type UpdateProfileInput = z.infer<typeof updateProfileInput>;
