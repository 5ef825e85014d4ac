// `npm run bench`: runs every bench/*.bench.ts in its own process (so memory figures are its own), in name order.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const folder = fileURLToPath(new URL('.', import.meta.url));
const benches = readdirSync(folder)
  .filter((name) => name.endsWith('.bench.ts'))
  .sort();
let failed = 0;
for (const name of benches) {
  console.log(`\n== ${name}`);
  const result = spawnSync(process.execPath, ['--import', 'tsx', `${folder}${name}`], { stdio: 'inherit' });
  if (result.status !== 0) failed += 1;
}
process.exitCode = failed === 0 ? 0 : 1;
