import type { AppConfig } from '../config.js';

/**
 * Absolute links for mails, which are read far from the page that caused them:
 * PUBLIC_URL when set (as it must be behind a load balancer), else this server's
 * own address.
 */
export class MailLinks {
  readonly base: string;

  constructor(http: Pick<AppConfig['http'], 'publicUrl' | 'host' | 'port'>) {
    this.base = (http.publicUrl ?? `http://${http.host}:${http.port}`).replace(/\/+$/, '');
  }

  absolute(pathOrUrl: string): string {
    return /^https?:\/\//.test(pathOrUrl) ? pathOrUrl : `${this.base}${pathOrUrl.startsWith('/') ? '' : '/'}${pathOrUrl}`;
  }

  unsubscribe(token: string): string {
    return `${this.base}/api/unsubscribe?token=${encodeURIComponent(token)}`;
  }

  concert(concertId: number): string {
    return `${this.base}/#/concerts/${concertId}`;
  }

  settings(): string {
    return `${this.base}/#/settings`;
  }
}
