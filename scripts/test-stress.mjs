// `npm run test:stress`: the whole suite (`npm test`) several times in a row while two
// processes burn a CPU core each beside it, as on a loaded machine or a busy CI host. A
// test that passes only on a quiet machine fails here. RUNS (3) and BURNERS (2) adjust it.
import { spawn } from 'node:child_process';

const runs = Number(process.env.RUNS ?? 3);
const burners = Number(process.env.BURNERS ?? 2);

const burn = () => spawn(process.execPath, ['-e', 'for (;;) {}'], { stdio: 'ignore' });

const npmTest = () =>
  new Promise((resolve) => {
    const child = spawn('npm', ['test'], { stdio: 'inherit' });
    child.on('exit', (code) => resolve(code ?? 1));
  });

const hogs = Array.from({ length: burners }, burn);
const stop = () => hogs.forEach((h) => h.kill('SIGKILL'));
process.on('SIGINT', () => {
  stop();
  process.exit(130);
});

const results = [];
try {
  for (let run = 1; run <= runs; run++) {
    const started = Date.now();
    console.log(`\n=== stress run ${run} of ${runs}, ${burners} CPU burners beside it ===\n`);
    const code = await npmTest();
    results.push({ run, code, seconds: Math.round((Date.now() - started) / 1000) });
  }
} finally {
  stop();
}
for (const r of results)
  console.log(
    `run ${r.run}: ${r.code === 0 ? 'passed' : `FAILED (exit ${r.code})`} in ${r.seconds} s`,
  );
const failed = results.filter((r) => r.code !== 0).length;
console.log(`${results.length - failed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
