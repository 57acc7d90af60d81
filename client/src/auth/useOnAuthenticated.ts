import { trpc, type User } from '../trpc.js';

/** After login or sign-up: show the app at once, then confirm the session with the server. */
export function useOnAuthenticated() {
  const utils = trpc.useUtils();
  return (user: User) => {
    utils.auth.me.setData(undefined, user);
    void utils.auth.me.invalidate();
  };
}
