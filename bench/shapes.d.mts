// Types of the benchmark generators, for the tests that reuse them.
export interface ShapeSink {
  push(text: string): void;
  readonly full: boolean;
  flush(): Promise<void>;
}
export interface ShapeStats {
  shape: string;
  bytes: number;
  lines: number;
  /** Exact incidents pgtriage must report; null where the README defines none (PgBouncer alone). */
  incidents: number | null;
  failures: number;
  sessionsCut?: number;
}
export const SHAPES: Record<string, { every: number; title: string }>;
export function generateShape(sink: ShapeSink, options: { shape: string; sizeBytes: number; seed?: number; every?: number; start?: number }): Promise<ShapeStats>;
export function generateShapeFile(file: string, options: { shape: string; sizeBytes: number; seed?: number; every?: number }): Promise<ShapeStats & { file: string }>;
