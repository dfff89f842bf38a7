// Fallback peak-RSS probe when /usr/bin/time -v is unavailable: runs the pgtriage CLI in this
// very process and, on exit, writes process.resourceUsage().maxRSS (KiB) to the file given as
// the first argument. Usage: node bench/rss-wrapper.mjs RSS_FILE [pgtriage args...]
import fs from 'node:fs';

const [rssFile, ...args] = process.argv.slice(2);
if (!rssFile) {
  process.stderr.write('usage: node bench/rss-wrapper.mjs RSS_FILE [pgtriage args...]\n');
  process.exit(2);
}
process.on('exit', () => {
  fs.writeFileSync(rssFile, String(process.resourceUsage().maxRSS));
});
const { main } = await import('../dist/cli/main.js');
await main(args);
