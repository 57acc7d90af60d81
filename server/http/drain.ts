import type { Socket } from 'node:net';
import type { RequestHandler } from 'express';

/**
 * Graceful shutdown of a web server. `server.close()` lets requests in flight
 * finish, but an event stream (scan progress) never finishes by itself and would
 * hold the process until the forced exit. So the streams' sockets are remembered
 * and cut when draining starts: the browser's EventSource reconnects, through the
 * load balancer, to a server that stays, and gets a fresh snapshot there.
 */
export class Drain {
  private draining = false;
  private readonly streams = new Set<Socket>();

  get isDraining(): boolean {
    return this.draining;
  }

  readonly trackStreams: RequestHandler = (req, _res, next) => {
    if (req.get('accept')?.includes('text/event-stream')) {
      const socket = req.socket;
      this.streams.add(socket);
      socket.once('close', () => this.streams.delete(socket));
    }
    next();
  };

  /** Readiness turns 503 from now on, and open event streams end. */
  start(): void {
    this.draining = true;
    for (const socket of this.streams) socket.destroy();
    this.streams.clear();
  }
}
