// An embedded Azurite (the app's own, with its journal) in a process of its own, on a data
// folder, so a test can kill it with `kill -9`. Prints one JSON line once it listens.
import { startEmbeddedAzurite } from '../core/store/embedded-azurite.js';

const dataDir = process.argv[2];
if (!dataDir) throw new Error('usage: azurite-process.ts DATA_DIR');
const azurite = await startEmbeddedAzurite({
  dataDir,
  journal: process.env.AZURITE_JOURNAL !== 'off',
});
console.log(
  JSON.stringify({ connectionString: azurite.connectionString, replayed: azurite.replayed }),
);
process.on('SIGTERM', () => {
  void azurite.stop().then(() => process.exit(0));
});
