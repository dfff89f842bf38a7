// Writes docs/remediation.md from the bundled causes (run after `npm run build`).
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { loadRulePacks, DEFAULT_RULES_DIR } from '../dist/index.js';
import { remediationDoc } from '../dist/remedy/doc.js';

const pack = await loadRulePacks([DEFAULT_RULES_DIR]);
const target = fileURLToPath(new URL('../docs/remediation.md', import.meta.url));
fs.writeFileSync(target, remediationDoc(pack.causes.values()));
console.log(`wrote ${target}`);
