// npm run golden -- FIXTURE.json: runs a golden-vector fixture through the engine, prints {"steps": [...]}.
import { readFile } from 'node:fs/promises';
import { parseGoldenFixture, runGoldenFixture } from '../src/engine/golden';
import { useCpuBackend } from './tfjs-node';

async function main(): Promise<void> {
  const file = process.argv[2];
  if (!file || process.argv.length > 3) throw new Error('usage: npm run golden -- FIXTURE.json');
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    throw new Error(`${file}: cannot read the file`);
  }
  const fixture = parseGoldenFixture(text, file);
  await useCpuBackend();
  const steps = await runGoldenFixture(fixture);
  process.stdout.write(JSON.stringify({ steps }) + '\n');
}

main().catch((e: unknown) => {
  process.stderr.write(`golden: ${(e as Error).message}\n`);
  process.exit(1);
});
