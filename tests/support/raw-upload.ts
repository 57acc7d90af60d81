import { randomUUID } from 'node:crypto';
import { request } from 'node:http';

export interface RawUploadAnswer {
  status: number;
  body: string;
}

/**
 * A multipart POST /api/uploads written by hand, part by part, so a test can stop
 * it where a real client would: mid-file (abort), or at an end the parser cannot
 * accept (malformed). The answer is null when the connection ended without one.
 */
export function startRawUpload(appUrl: string, cookie: string, file: { name: string; type: string }) {
  const boundary = `----ch-test-${randomUUID()}`;
  const req = request(new URL('/api/uploads', appUrl), {
    method: 'POST',
    headers: {
      'content-type': `multipart/form-data; boundary=${boundary}`,
      'transfer-encoding': 'chunked',
      origin: appUrl,
      'x-requested-with': 'concert-history',
      cookie,
    },
  });
  const answer = new Promise<RawUploadAnswer | null>((resolve) => {
    req.on('response', (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      res.on('error', () => resolve(null));
    });
    req.on('error', () => resolve(null));
    req.on('close', () => setTimeout(() => resolve(null), 1_000));
  });
  req.write(`--${boundary}\r\nContent-Disposition: form-data; name="photos"; filename="${file.name}"\r\nContent-Type: ${file.type}\r\n\r\n`);
  return {
    answer,
    /** More bytes of the file; resolves once they are handed to the socket. */
    write(bytes: Buffer): Promise<void> {
      return new Promise((resolve, reject) => req.write(bytes, (error) => (error ? reject(error) : resolve())));
    },
    /** Ends the file and the form properly. */
    finish(): Promise<RawUploadAnswer | null> {
      req.end(`\r\n--${boundary}--\r\n`);
      return answer;
    },
    /** Ends the request in the middle of the file: a form without its closing boundary. */
    endTruncated(): Promise<RawUploadAnswer | null> {
      req.end();
      return answer;
    },
    /** The client goes away mid-file (a closed tab, a lost connection). */
    abort(): void {
      req.destroy();
    },
  };
}
