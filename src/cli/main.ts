export async function main(_argv: string[]): Promise<void> {
  process.stderr.write('pgtriage: not built yet\n');
  process.exitCode = 2;
}
