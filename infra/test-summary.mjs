// Adds up the JSON results every vitest run wrote into one closing line.
import { readdirSync, readFileSync } from 'node:fs';

const dir = new URL('../.test-results/', import.meta.url);
let passed = 0;
let failed = 0;
let skipped = 0;
let files = [];
try {
  files = readdirSync(dir).filter((f) => f.endsWith('.json'));
} catch {}
for (const file of files) {
  const r = JSON.parse(readFileSync(new URL(file, dir), 'utf8'));
  passed += r.numPassedTests;
  failed += r.numFailedTests;
  skipped += r.numPendingTests + r.numTodoTests;
  console.log(
    `  ${file.replace('.json', '')}: ${r.numPassedTests} passed, ${r.numFailedTests} failed`,
  );
}
console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
