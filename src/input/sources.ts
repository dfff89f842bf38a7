import { createReadStream, promises as fs } from 'node:fs';
import { createGunzip } from 'node:zlib';
import path from 'node:path';
import type { Readable } from 'node:stream';
import fg from 'fast-glob';

/** A readable input: a file, stdin, or an in-memory text given to the library. */
export interface Source {
  name: string;
  open(): AsyncIterable<Buffer>;
}

/** Why an input could not be used; reported per path, never fatal for the others. */
export interface SourceProblem {
  input: string;
  message: string;
}

/** Files found under a directory that are documentation or expectations, not logs. */
const DIRECTORY_IGNORES = ['**/node_modules/**', '**/.git/**', '**/*.md', '**/*.expected.json', '**/manifest.json'];

const GLOB_CHARS = /[*?[\]{}!]/;

/**
 * Turns CLI arguments into sources: `-` is stdin, a file is itself, a directory is walked
 * recursively, anything with glob characters goes through fast-glob. Order is stable.
 */
export async function expandInputs(
  inputs: string[],
  stdin: () => Readable,
): Promise<{ sources: Source[]; problems: SourceProblem[] }> {
  const sources: Source[] = [];
  const problems: SourceProblem[] = [];
  const seen = new Set<string>();
  const addFile = (file: string) => {
    const key = path.resolve(file);
    if (seen.has(key)) return;
    seen.add(key);
    sources.push(fileSource(file));
  };

  const negations = inputs.filter((i) => i.startsWith('!')).map((i) => i.slice(1));
  for (const input of inputs) {
    if (input.startsWith('!')) continue;
    if (input === '-') {
      sources.push(streamSource('<stdin>', stdin));
      continue;
    }
    let stat: import('node:fs').Stats | undefined;
    try {
      stat = await fs.stat(input);
    } catch (error) {
      if (!GLOB_CHARS.test(input)) {
        problems.push({ input, message: describeFsError(error) });
        continue;
      }
    }
    if (stat?.isFile()) {
      addFile(input);
    } else if (stat?.isDirectory()) {
      const files = await fg('**/*', {
        cwd: input,
        onlyFiles: true,
        dot: false,
        followSymbolicLinks: false,
        suppressErrors: true,
        ignore: [...DIRECTORY_IGNORES, ...negations],
      });
      files.sort();
      if (files.length === 0) problems.push({ input, message: 'directory contains no files' });
      for (const f of files) addFile(path.join(input, f));
    } else if (stat) {
      problems.push({ input, message: 'not a regular file or directory' });
    } else {
      const files = await fg(input, {
        onlyFiles: true,
        followSymbolicLinks: false,
        suppressErrors: true,
        ignore: negations,
      });
      files.sort();
      if (files.length === 0) problems.push({ input, message: 'no file matches this pattern' });
      for (const f of files) addFile(f);
    }
  }
  return { sources, problems };
}

function describeFsError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException)?.code;
  switch (code) {
    case 'ENOENT':
      return 'no such file or directory';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'ELOOP':
      return 'too many levels of symbolic links';
    case 'ENAMETOOLONG':
      return 'file name too long';
    default:
      return (error as Error)?.message ?? String(error);
  }
}

/** A file read as a stream; gzip is recognized by its magic bytes, not its name. */
export function fileSource(file: string): Source {
  return {
    name: file,
    open: () => maybeGunzip(createReadStream(file, { highWaterMark: 1 << 16 })),
  };
}

export function streamSource(name: string, stream: () => Readable | AsyncIterable<Buffer | string>): Source {
  return { name, open: () => maybeGunzip(stream()) };
}

async function* maybeGunzip(input: AsyncIterable<Buffer | string>): AsyncIterable<Buffer> {
  const iterator = input[Symbol.asyncIterator]();
  const first = await iterator.next();
  if (first.done) return;
  const head = toBuffer(first.value);
  const rest: AsyncIterable<Buffer | string> = { [Symbol.asyncIterator]: () => iterator };
  if (head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b) {
    const gunzip = createGunzip();
    const feed = (async () => {
      try {
        if (!gunzip.write(head)) await onceDrain(gunzip);
        for await (const chunk of rest) if (!gunzip.write(toBuffer(chunk))) await onceDrain(gunzip);
        gunzip.end();
      } catch (error) {
        gunzip.destroy(error as Error);
      }
    })();
    for await (const chunk of gunzip) yield chunk as Buffer;
    await feed;
    return;
  }
  yield head;
  for await (const chunk of rest) yield toBuffer(chunk);
}

function onceDrain(stream: NodeJS.WritableStream): Promise<void> {
  return new Promise((resolve) => stream.once('drain', () => resolve()));
}

function toBuffer(chunk: Buffer | string | Uint8Array): Buffer {
  if (typeof chunk === 'string') return Buffer.from(chunk, 'utf8');
  return Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk);
}

/** Bytes that mark a file as binary when they make up more than a tenth of its first 8 KiB. */
export function looksBinary(head: Buffer): boolean {
  const n = Math.min(head.length, 8192);
  if (n === 0) return false;
  let suspicious = 0;
  for (let i = 0; i < n; i++) {
    const b = head[i];
    if (b === 0 || (b < 32 && b !== 9 && b !== 10 && b !== 13 && b !== 12 && b !== 27)) suspicious++;
  }
  return suspicious / n > 0.1;
}
