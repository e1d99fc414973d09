import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
console.log(dirname(fileURLToPath(import.meta.resolve('@triage/fields'))));
