// Prints, as JSON, the package modules (node_modules/<name>) loaded by importing the given
// specifier: a load hook on the loader thread posts every URL it loads back to this thread.
import { register } from 'node:module';
import { MessageChannel } from 'node:worker_threads';

const { port1, port2 } = new MessageChannel();
const urls = [];
port1.on('message', (url) => urls.push(url));
port1.unref();
const hooks = `export async function initialize({ port }) { globalThis.port = port; }
export async function load(url, context, next) { globalThis.port.postMessage(url); return next(url, context); }`;
register(`data:text/javascript,${encodeURIComponent(hooks)}`, { data: { port: port2 }, transferList: [port2] });
await import(process.argv[2]);
await new Promise((r) => setTimeout(r, 100));
const packages = new Set(urls.map((u) => /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(u)?.[1]).filter(Boolean));
process.stdout.write(JSON.stringify({ packages: [...packages].sort(), modules: urls.length }) + '\n');
