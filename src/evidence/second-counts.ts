/**
 * Records counted per second of log time: one entry (a second and its count) per busy second,
 * so a dense bucket stays small; the oldest half goes when the cap is reached. Lets a fact
 * count exactly how many records fell inside a failure's window without keeping them.
 */
const TIMES_CAP = 4096;

export class SecondCounts {
  /** Seconds (epoch s) with records, ascending, and how many records each. */
  private readonly times: number[] = [];
  private readonly counts: number[] = [];

  get size(): number {
    return this.times.length;
  }

  add(second: number): void {
    const { times, counts } = this;
    const n = times.length;
    if (n > 0 && times[n - 1] === second) {
      counts[n - 1]++;
      return;
    }
    if (n >= TIMES_CAP) {
      times.splice(0, n >> 1);
      counts.splice(0, n >> 1);
    }
    // Logs mostly arrive in time order: appending is the common case.
    if (times.length === 0 || times[times.length - 1] < second) {
      times.push(second);
      counts.push(1);
      return;
    }
    const i = lowerBound(times, second);
    if (times[i] === second) counts[i]++;
    else {
      times.splice(i, 0, second);
      counts.splice(i, 0, 1);
    }
  }

  /** Records in the seconds [from, to]. */
  between(from: number, to: number): number {
    let sum = 0;
    for (let i = lowerBound(this.times, from); i < this.times.length && this.times[i] <= to; i++) sum += this.counts[i];
    return sum;
  }
}

/** First index whose value is at or after `ts`. */
function lowerBound(list: number[], ts: number): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (list[mid] < ts) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
