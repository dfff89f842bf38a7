/**
 * The ack rule of one partition, kept apart from the network so it can be tested alone.
 *
 * A partition's consumer acknowledges with AckAll: acking the message with stream sequence S
 * acknowledges everything up to S. That is safe only when no case that is still open needs
 * a message at or below S, because a consumer that restarts resumes after the ack floor and
 * must be able to rebuild every open case from what is redelivered. So the highest safe point
 * is the message just before the first message of the oldest open case (or the last message
 * processed, when no case is open).
 *
 * Memory is O(open cases): for each case only the handle of the message processed just before
 * its first one is kept, never the messages themselves.
 */
export interface AckPoint<H> {
  seq: number;
  handle: H;
}

export class PartitionAcks<H> {
  private last: AckPoint<H> | undefined;
  private highest = 0;
  private acked = 0;
  /** Open cases in opening order (a Map keeps insertion order, so the first is the oldest). */
  private readonly open = new Map<string, { firstSeq: number; before: AckPoint<H> | undefined }>();

  /** Starts after an ack floor (a restarted consumer resumes there). */
  constructor(ackFloor = 0) {
    this.highest = ackFloor;
    this.acked = ackFloor;
  }

  /**
   * Whether a delivered message is new. A message at or below the highest one processed is a
   * redelivery of something this process already fed to its case, and must not be fed twice.
   */
  isNew(seq: number): boolean {
    return seq > this.highest;
  }

  /** Records a processed message; `caseKey` undefined for a message that belongs to no case. */
  processed(seq: number, handle: H, caseKey: string | undefined): void {
    if (seq <= this.highest) throw new Error(`message ${seq} processed twice (highest is ${this.highest})`);
    if (caseKey !== undefined && !this.open.has(caseKey)) this.open.set(caseKey, { firstSeq: seq, before: this.last });
    this.last = { seq, handle };
    this.highest = seq;
  }

  /** The case's incidents are all published: it no longer holds back the floor. */
  closed(caseKey: string): void {
    this.open.delete(caseKey);
  }

  isOpen(caseKey: string): boolean {
    return this.open.has(caseKey);
  }

  /** The message to ack now, if the safe point moved past what was acknowledged. */
  ackable(): AckPoint<H> | undefined {
    const oldest = this.open.values().next();
    const point = oldest.done ? this.last : oldest.value.before;
    return point && point.seq > this.acked ? point : undefined;
  }

  markAcked(seq: number): void {
    if (seq > this.acked) this.acked = seq;
  }

  get ackedThrough(): number {
    return this.acked;
  }

  get openCases(): number {
    return this.open.size;
  }
}
