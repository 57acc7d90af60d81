/** Lets long-lived, module-level state (an upload in flight) forget a user who logged out. */
const listeners = new Set<() => void>();

export function onSessionEnd(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function endSession() {
  for (const listener of listeners) listener();
}
