// Preloaded with `node --import` into a CLI run: at exit it writes, as JSON to the file named by
// PGTRIAGE_LOADED_OUT, every ES module URL the run loaded (a load hook on the loader thread posts
// each one back) and every file in the CommonJS cache (chevrotain and re2js are require()d).
import { createRequire, register } from 'node:module';
import { writeFileSync } from 'node:fs';
import { MessageChannel } from 'node:worker_threads';

const { port1, port2 } = new MessageChannel();
const esm = [];
port1.on('message', (url) => esm.push(url));
port1.unref();
const hooks = `export async function initialize({ port }) { globalThis.port = port; }
export async function load(url, context, next) { globalThis.port.postMessage(url); return next(url, context); }`;
register(`data:text/javascript,${encodeURIComponent(hooks)}`, { data: { port: port2 }, transferList: [port2] });
const cache = createRequire(import.meta.url).cache;
process.on('exit', () => {
  writeFileSync(process.env.PGTRIAGE_LOADED_OUT, JSON.stringify({ esm, cjs: Object.keys(cache) }));
});
