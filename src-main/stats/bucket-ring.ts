/**
 * A fixed-size ring of time buckets (count, Σweight, Σweight²). Memory is bounded by the slot
 * count whatever the event rate; a slot is reused when its bucket falls out of the ring.
 */

export interface BucketSums {
  count: number;
  weightSum: number;
  weightSquareSum: number;
  /** Start of the oldest bucket included (ms). */
  fromMs: number;
}

export class BucketRing {
  private readonly index: Float64Array;
  private readonly count: Float64Array;
  private readonly weightSum: Float64Array;
  private readonly weightSquareSum: Float64Array;

  constructor(
    readonly bucketMs: number,
    readonly slots: number,
  ) {
    if (!(bucketMs > 0) || !Number.isInteger(slots) || slots < 1) throw new RangeError('bucket ring needs bucketMs > 0 and slots ≥ 1');
    this.index = new Float64Array(slots).fill(-1);
    this.count = new Float64Array(slots);
    this.weightSum = new Float64Array(slots);
    this.weightSquareSum = new Float64Array(slots);
  }

  add(atMs: number, weight: number): void {
    const bucket = Math.floor(atMs / this.bucketMs);
    const slot = ((bucket % this.slots) + this.slots) % this.slots;
    if (this.index[slot] !== bucket) {
      this.index[slot] = bucket;
      this.count[slot] = 0;
      this.weightSum[slot] = 0;
      this.weightSquareSum[slot] = 0;
    }
    this.count[slot]! += 1;
    this.weightSum[slot]! += weight;
    this.weightSquareSum[slot]! += weight * weight;
  }

  /**
   * Sums over the newest `buckets` buckets ending with the one holding nowMs (the current,
   * partial bucket included). The time they span is nowMs − fromMs, between (buckets − 1) and
   * `buckets` bucket lengths: exactly the time in which the summed events were counted.
   */
  sum(nowMs: number, buckets: number): BucketSums {
    const n = Math.min(buckets, this.slots);
    const current = Math.floor(nowMs / this.bucketMs);
    let count = 0;
    let weightSum = 0;
    let weightSquareSum = 0;
    for (let b = current - n + 1; b <= current; b++) {
      const slot = ((b % this.slots) + this.slots) % this.slots;
      if (this.index[slot] !== b) continue;
      count += this.count[slot]!;
      weightSum += this.weightSum[slot]!;
      weightSquareSum += this.weightSquareSum[slot]!;
    }
    return { count, weightSum, weightSquareSum, fromMs: (current - n + 1) * this.bucketMs };
  }

  clear(): void {
    this.index.fill(-1);
  }
}
