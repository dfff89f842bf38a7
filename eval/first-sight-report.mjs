// The first-sight section of `npm run eval`: for every lab case that was new this round, what the
// round's starting commit made of it (recorded once in samples/lab/first-sight.json by
// eval/first-sight.mjs, because it cannot be recomputed from today's code) beside what the code
// under test makes of it now, and the whole lab's client-log-only top-1 then and now.

/**
 * The other side of the socket alone: the server's (or the pooler's) log as the only input. Scored
 * through the same evaluateSet by naming that file as the set's only file, so any scoreboard
 * version can measure it.
 */
export function otherSides(set) {
  const out = [];
  for (const [view, f] of [['serverOnly', set.files.server], ['poolerOnly', set.files.pooler]]) {
    if (f) out.push([view, { ...set, files: { client: f, extra: [] } }]);
  }
  return out;
}

const mark = (b) => (!b ? '-' : !b.family ? 'no incident' : b.top1 ? 'right' : `x ${b.top ?? 'none'}`);
const pct = (a, n) => (n ? `${a}/${n} (${Math.round((a / n) * 100)}%)` : '-');

/**
 * @param record parsed first-sight.json
 * @param board the scoreboard computed now
 * @param evaluateSet today's evaluateSet, to score the server-alone and pooler-alone views now
 */
export async function formatFirstSight(record, board, evaluateSet) {
  const now = new Map();
  for (const r of board.results) {
    const row = now.get(r.set.name) ?? {};
    row[r.mode === 'combined' ? 'combined' : 'clientOnly'] = {
      family: r.set.is08003Family ? r.incidents > 0 : r.incidents === 0,
      top: r.top,
      top1: r.correctTop1,
    };
    now.set(r.set.name, row);
  }
  const out = [];
  const cases = (record.new ?? []).filter((n) => record.cases[n]?.firstSight);
  if (!cases.length) return '';
  const commits = [...new Set(cases.map((n) => record.cases[n].firstSight.commit))].join(', ');
  out.push(`== first sight (scored by ${commits} before any rule was changed for them) vs now ==`);
  out.push('  (right = true cause ranked first; x CAUSE = wrong cause ranked first)');
  const rows = [];
  const sides = [];
  const tally = { first: { combined: [0, 0], clientOnly: [0, 0] }, now: { combined: [0, 0], clientOnly: [0, 0] } };
  const byBatch = new Map();
  for (const name of cases) {
    const c = record.cases[name];
    const fs = c.firstSight;
    const cur = now.get(name);
    for (const view of ['combined', 'clientOnly']) {
      tally.first[view][1]++;
      if (fs[view].top1) tally.first[view][0]++;
      if (cur?.[view]) {
        tally.now[view][1]++;
        if (cur[view].top1) tally.now[view][0]++;
      }
    }
    const b = byBatch.get(fs.batch ?? 1) ?? { n: 0, combined: 0, clientOnly: 0, curCombined: 0, curClientOnly: 0, commits: new Set() };
    b.n++;
    if (fs.combined.top1) b.combined++;
    if (fs.clientOnly.top1) b.clientOnly++;
    const then = c.firstSightCurrent ?? fs;
    b.commits.add(then.commit);
    if (then.combined.top1) b.curCombined++;
    if (then.clientOnly.top1) b.curClientOnly++;
    byBatch.set(fs.batch ?? 1, b);
    // (per batch below: the same look with main as it was when the batch was added)
    rows.push([name, String(fs.batch ?? 1), mark(fs.combined), mark(fs.clientOnly), mark(cur?.combined), mark(cur?.clientOnly)]);
    const result = board.results.find((r) => r.set.name === name);
    for (const [view, other] of result ? otherSides(result.set) : []) {
      const r = await evaluateSet(other, 'client-only');
      const b = { family: r.incidents > 0, top: r.top, top1: r.correctTop1 };
      sides.push([`${name} (${view === 'serverOnly' ? 'server log alone' : 'pooler log alone'})`, mark(fs[view]), mark(b)]);
    }
  }
  const head = ['case', 'batch', 'first sight: combined', 'client-only', 'now: combined', 'client-only'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  for (const r of [head, ...rows]) out.push('  ' + r.map((cell, i) => cell.padEnd(widths[i])).join('  ').trimEnd());
  if (sides.length) {
    out.push('  the other side of the socket alone:');
    const sw = [Math.max(...sides.map((r) => r[0].length)), Math.max(...sides.map((r) => r[1].length), 'first sight'.length)];
    out.push(`    ${''.padEnd(sw[0])}  ${'first sight'.padEnd(sw[1])}  now`);
    for (const [n, a, b] of sides) out.push(`    ${n.padEnd(sw[0])}  ${a.padEnd(sw[1])}  ${b}`);
  }
  out.push(
    `  new cases, top-1 at first sight: combined ${pct(...tally.first.combined)}, client-only ${pct(...tally.first.clientOnly)}; ` +
      `now: combined ${pct(...tally.now.combined)}, client-only ${pct(...tally.now.clientOnly)}`,
  );
  for (const [batch, b] of [...byBatch].sort(([a], [b2]) => a - b2)) {
    out.push(
      `  batch ${batch} at first sight: combined ${pct(b.combined, b.n)}, client-only ${pct(b.clientOnly, b.n)} (starting commit); ` +
        `with main when it was added (${[...b.commits].join(', ')}): combined ${pct(b.curCombined, b.n)}, client-only ${pct(b.curClientOnly, b.n)}`,
    );
  }
  for (const [commit, s] of Object.entries(record.summaries ?? {})) {
    const lab = board.results.filter((r) => s.cases.includes(r.set.name));
    const nowClient = lab.filter((r) => r.mode === 'client-only');
    const nowCombined = lab.filter((r) => r.mode === 'combined');
    out.push(
      `  whole lab (${s.cases.length} 08003-family cases) at ${commit}: client-only top-1 ${pct(s.clientOnly.top1, s.clientOnly.positives)}, ` +
        `combined ${pct(s.combined.top1, s.combined.positives)}; now: client-only ${pct(nowClient.filter((r) => r.correctTop1).length, nowClient.length)}, ` +
        `combined ${pct(nowCombined.filter((r) => r.correctTop1).length, nowCombined.length)}`,
    );
  }
  return out.join('\n') + '\n';
}
