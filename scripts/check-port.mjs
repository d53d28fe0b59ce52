// `npm start` runs this first: a port already taken is said at once, before the build,
// embedded Azurite or the demo seed start, and the start stops there.
import { createServer } from 'node:net';

const port = Number(process.env.PORT || 3978);
const host = process.env.HOST || '127.0.0.1';

const probe = createServer();
probe.once('error', (error) => {
  if (error.code === 'EADDRINUSE') {
    console.error(`port ${port} is in use; set PORT (for example PORT=3979 npm start)`);
    process.exit(1);
  }
  console.error(`cannot listen on ${host}:${port}: ${error.message}`);
  process.exit(1);
});
probe.listen(port, host, () => probe.close());
