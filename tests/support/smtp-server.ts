import type { AddressInfo } from 'node:net';
import { simpleParser, type AddressObject, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export interface ReceivedMail extends ParsedMail {
  /** Every recipient address of the envelope (RCPT TO), lower-cased. */
  recipients: string[];
}

/**
 * A real SMTP server (the `smtp-server` package) on an ephemeral port that
 * requires the login in its URL, and keeps every message it receives, parsed
 * with mailparser.
 */
export async function startSmtpServer() {
  const user = 'mailer';
  const password = 'smtp-test-password';
  const received: ReceivedMail[] = [];
  const server = new SMTPServer({
    authOptional: false,
    allowInsecureAuth: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onAuth(auth, _session, callback) {
      if (auth.username === user && auth.password === password) return callback(null, { user });
      callback(new Error('Invalid username or password'));
    },
    onData(stream, session, callback) {
      simpleParser(stream).then(
        (mail) => {
          received.push(Object.assign(mail, { recipients: session.envelope.rcptTo.map((r) => r.address.toLowerCase()) }));
          callback();
        },
        (error: Error) => callback(error),
      );
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.server.address() as AddressInfo;

  return {
    url: `smtp://${user}:${password}@127.0.0.1:${port}`,
    received,
    /** Messages to one address (envelope), in arrival order. */
    to(address: string) {
      return received.filter((mail) => mail.recipients.includes(address.toLowerCase()));
    },
    async waitFor(predicate: (mail: ReceivedMail) => boolean, timeoutMs = 60_000): Promise<ReceivedMail> {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const found = received.find(predicate);
        if (found) return found;
        if (Date.now() > deadline) {
          throw new Error(`no such mail arrived; got: ${JSON.stringify(received.map((m) => ({ to: m.recipients, subject: m.subject })))}`);
        }
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export type TestSmtpServer = Awaited<ReturnType<typeof startSmtpServer>>;

export function addressesOf(field: AddressObject | AddressObject[] | undefined): string[] {
  return (Array.isArray(field) ? field : field ? [field] : []).flatMap((a) => a.value.map((v) => v.address?.toLowerCase() ?? ''));
}

/** A raw header as sent (mailparser turns List-* headers into objects). */
export function rawHeader(mail: ParsedMail, name: string): string | undefined {
  const line = mail.headerLines.find((h) => h.key === name.toLowerCase())?.line;
  return line?.slice(line.indexOf(':') + 1).trim();
}
