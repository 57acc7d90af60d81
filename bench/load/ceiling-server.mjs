// The machine's ceiling for the load benchmark: a bare Node `http` server answering one
// fixed JSON body (CEILING_BODY_BYTES long, the app's average answer) to every request.
import { createServer } from 'node:http';

const size = Number(process.env.CEILING_BODY_BYTES ?? 2000);
const filler = 'x'.repeat(Math.max(0, size - 40));
const body = Buffer.from(JSON.stringify({ result: { data: { json: { items: filler } } } }));

const server = createServer((req, res) => {
  req.resume();
  res.writeHead(200, { 'content-type': 'application/json', 'content-length': body.length });
  res.end(body);
});
server.keepAliveTimeout = 65_000;
server.listen(0, '127.0.0.1', () => console.log(`ceiling server listening on http://127.0.0.1:${server.address().port}`));
process.on('SIGTERM', () => server.close(() => process.exit(0)) && server.closeAllConnections());
