import { MESSAGES, type MessageId } from './catalogue.js';

export { MESSAGES, type MessageId } from './catalogue.js';

/** The placeholder names a template uses: `'{a} from {b}'` gives `'a' | 'b'`. */
type Placeholders<T extends string> = T extends `${string}{${infer Name}}${infer Rest}` ? Name | Placeholders<Rest> : never;

/** The values a message needs: none for a fixed sentence, else one per placeholder. */
export type MessageData<I extends MessageId> = [Placeholders<(typeof MESSAGES)[I]>] extends [never]
  ? []
  : [data: Record<Placeholders<(typeof MESSAGES)[I]>, string | number>];

/**
 * A sentence as said: its id (what tests and machines look at) and its text (what people read).
 * It turns into its text where a string is expected (`${notice}`), so a caller that only
 * prints need not know about ids.
 */
export class Said {
  constructor(
    readonly id: MessageId,
    readonly text: string,
  ) {}

  toString(): string {
    return this.text;
  }
}

/** Fills a message's placeholders. Values are inserted once, as they are: a `{x}` inside a value stays. */
export function say<I extends MessageId>(id: I, ...data: MessageData<I>): Said {
  const values = (data[0] ?? {}) as Record<string, string | number>;
  const template: string = MESSAGES[id];
  return new Said(
    id,
    template.replace(/\{(\w+)\}/g, (_, name: string) => String(values[name])),
  );
}

/** The texts and the ids of a list of messages, as the report carries them side by side. */
export function split(said: readonly Said[]): { texts: string[]; ids: MessageId[] } {
  return { texts: said.map((s) => s.text), ids: said.map((s) => s.id) };
}
