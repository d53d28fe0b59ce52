import { strict as assert } from 'node:assert';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CallbackRefused } from '../../core/app/routing/callback-outbox.js';
import { fetchCallbackChannel } from './callback-channel.js';

describe('task callbacks over HTTP', () => {
  it('refuses a name that resolves inside the network, before sending anything', async () => {
    const channel = fetchCallbackChannel({
      resolve: () => Promise.resolve(['52.1.2.3', '10.0.0.7']),
    });
    await assert.rejects(
      channel.post('https://hooks.example.com/x', '{}', {}),
      (e: unknown) => e instanceof CallbackRefused && /10\.0\.0\.7/.test(e.message),
    );
  });

  it('sends to a name on the internet, and gives the status without following a redirect', async () => {
    const server = createServer((req, res) => {
      res.statusCode = req.url === '/moved' ? 302 : 202;
      if (req.url === '/moved') res.setHeader('location', '/elsewhere');
      res.end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    try {
      // 'localhost' stands in for a public name: the resolver says where it points.
      const channel = fetchCallbackChannel({ resolve: () => Promise.resolve(['52.1.2.3']) });
      assert.equal(await channel.post(`http://localhost:${port}/hook`, '{}', {}), 202);
      assert.equal(await channel.post(`http://localhost:${port}/moved`, '{}', {}), 302);
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});
