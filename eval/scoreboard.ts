/**
 * Accuracy scoreboard over labelled sample sets: each set is a folder with a manifest naming the
 * ground-truth cause (or a negative neighbour) and the client/server/pooler logs. Used by
 * `npm run eval` and by the test that CI enforces.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import fg from 'fast-glob';
import { triage, type TriageOptions } from 'pgtriage';
import type { Confidence, Report } from 'pgtriage';

export interface LabelledSet {
  name: string;
  dir: string;
  /** Ground-truth cause id; null for negatives. */
  cause: string | null;
  is08003Family: boolean;
  client: string;
  files: { client: string; server?: string; pooler?: string; extra: string[] };
  origin: 'lab' | 'hand-made' | 'corpus';
}

export interface SetResult {
  set: LabelledSet;
  mode: 'client-only' | 'combined';
  incidents: number;
  top: string | null;
  top3: string[];
  confidence: Confidence | null;
  correctTop1: boolean;
  correctTop3: boolean;
  falsePositive: boolean;
}

export interface Scoreboard {
  sets: number;
  modes: Record<'client-only' | 'combined', ModeSummary>;
  results: SetResult[];
}

export interface ModeSummary {
  positives: number;
  top1: number;
  top3: number;
  top1Rate: number;
  top3Rate: number;
  negatives: number;
  falsePositives: number;
  perCause: Record<string, { n: number; top1: number; top3: number }>;
  perClient: Record<string, { n: number; top1: number; top3: number }>;
  confusion: Record<string, Record<string, number>>;
  calibration: Record<Confidence, { n: number; right: number }>;
}

interface Manifest {
  scenario?: string;
  cause: string | null;
  is08003Family: boolean;
  client?: string;
  files: { client: string; server?: string | null; pooler?: string | null; extra?: string[] };
}

/** Finds every `manifest.json` under the given roots. */
export async function findLabelledSets(roots: string[]): Promise<LabelledSet[]> {
  const sets: LabelledSet[] = [];
  for (const root of roots) {
    const manifests = await fg('**/manifest.json', { cwd: root, absolute: true });
    manifests.sort();
    for (const file of manifests) {
      const m = JSON.parse(await fs.readFile(file, 'utf8')) as Manifest;
      const dir = path.dirname(file);
      sets.push({
        name: m.scenario ?? path.basename(dir),
        dir,
        cause: m.cause,
        is08003Family: m.is08003Family,
        client: m.client ?? 'unknown',
        files: { client: m.files.client, server: m.files.server ?? undefined, pooler: m.files.pooler ?? undefined, extra: m.files.extra ?? [] },
        origin: dir.includes(`${path.sep}lab${path.sep}`) ? 'lab' : 'hand-made',
      });
    }
  }
  return sets;
}

export async function evaluateSet(set: LabelledSet, mode: SetResult['mode'], options: TriageOptions = {}): Promise<SetResult> {
  const files = [set.files.client];
  if (mode === 'combined') for (const f of [set.files.server, set.files.pooler, ...set.files.extra]) if (f) files.push(f);
  const report: Report = await triage(
    files.map((f) => ({ path: path.join(set.dir, f) })),
    options,
  );
  const overall = report.causes;
  const top = overall[0]?.id ?? null;
  const top3 = overall.slice(0, 3).map((c) => c.id);
  const incidents = report.incidents.length;
  return {
    set,
    mode,
    incidents,
    top: incidents ? top : null,
    top3: incidents ? top3 : [],
    confidence: incidents ? (overall[0]?.confidence ?? null) : null,
    correctTop1: set.is08003Family ? incidents > 0 && top === set.cause : incidents === 0,
    correctTop3: set.is08003Family ? incidents > 0 && top3.includes(set.cause ?? '') : incidents === 0,
    falsePositive: !set.is08003Family && incidents > 0,
  };
}

export async function buildScoreboard(sets: LabelledSet[], options: TriageOptions = {}): Promise<Scoreboard> {
  const results: SetResult[] = [];
  for (const set of sets) {
    results.push(await evaluateSet(set, 'client-only', options));
    results.push(await evaluateSet(set, 'combined', options));
  }
  return {
    sets: sets.length,
    modes: { 'client-only': summarize(results.filter((r) => r.mode === 'client-only')), combined: summarize(results.filter((r) => r.mode === 'combined')) },
    results,
  };
}

function summarize(results: SetResult[]): ModeSummary {
  const s: ModeSummary = {
    positives: 0, top1: 0, top3: 0, top1Rate: 0, top3Rate: 0, negatives: 0, falsePositives: 0,
    perCause: {}, perClient: {}, confusion: {},
    calibration: { high: { n: 0, right: 0 }, medium: { n: 0, right: 0 }, low: { n: 0, right: 0 } },
  };
  for (const r of results) {
    if (!r.set.is08003Family) {
      s.negatives++;
      if (r.falsePositive) s.falsePositives++;
      continue;
    }
    s.positives++;
    if (r.correctTop1) s.top1++;
    if (r.correctTop3) s.top3++;
    const truth = r.set.cause ?? 'none';
    for (const [table, key] of [[s.perCause, truth], [s.perClient, r.set.client]] as const) {
      const row = (table[key] ??= { n: 0, top1: 0, top3: 0 });
      row.n++;
      if (r.correctTop1) row.top1++;
      if (r.correctTop3) row.top3++;
    }
    const predicted = r.top ?? 'no incident';
    (s.confusion[truth] ??= {})[predicted] = (s.confusion[truth][predicted] ?? 0) + 1;
    if (r.confidence) {
      s.calibration[r.confidence].n++;
      if (r.correctTop1) s.calibration[r.confidence].right++;
    }
  }
  s.top1Rate = s.positives ? s.top1 / s.positives : 1;
  s.top3Rate = s.positives ? s.top3 / s.positives : 1;
  return s;
}

/** The scoreboard as a terminal table. */
export function formatScoreboard(board: Scoreboard): string {
  const out: string[] = [];
  const pct = (a: number, b: number) => (b ? `${Math.round((a / b) * 100)}%` : '-');
  for (const mode of ['combined', 'client-only'] as const) {
    const s = board.modes[mode];
    out.push(`== ${mode === 'combined' ? 'client + server (+ pooler) logs' : 'client log only'} ==`);
    out.push(`top-1 ${s.top1}/${s.positives} (${pct(s.top1, s.positives)})   top-3 ${s.top3}/${s.positives} (${pct(s.top3, s.positives)})   false positives on negatives ${s.falsePositives}/${s.negatives}`);
    out.push('per cause:');
    for (const [cause, row] of Object.entries(s.perCause).sort()) out.push(`  ${cause.padEnd(38)} n=${row.n}  top-1 ${pct(row.top1, row.n).padStart(4)}  top-3 ${pct(row.top3, row.n).padStart(4)}`);
    out.push('per client:');
    for (const [client, row] of Object.entries(s.perClient).sort()) out.push(`  ${client.padEnd(38)} n=${row.n}  top-1 ${pct(row.top1, row.n).padStart(4)}  top-3 ${pct(row.top3, row.n).padStart(4)}`);
    out.push('confusion (truth -> predicted top-1):');
    for (const [truth, row] of Object.entries(s.confusion).sort()) {
      out.push(`  ${truth.padEnd(38)} ${Object.entries(row).map(([p, n]) => `${p}=${n}`).join('  ')}`);
    }
    out.push('calibration (how often the top cause was right at each confidence):');
    for (const level of ['high', 'medium', 'low'] as const) {
      const c = s.calibration[level];
      out.push(`  ${level.padEnd(7)} ${c.right}/${c.n} ${pct(c.right, c.n)}`);
    }
    out.push('');
  }
  const wrong = board.results.filter((r) => !r.correctTop1);
  if (wrong.length) {
    out.push('misses:');
    for (const r of wrong) out.push(`  [${r.mode}] ${r.set.name}: truth ${r.set.cause ?? 'no incident'}, got ${r.top ?? 'no incident'} (${r.incidents} incidents, ${r.confidence ?? '-'})`);
  }
  return out.join('\n') + '\n';
}
