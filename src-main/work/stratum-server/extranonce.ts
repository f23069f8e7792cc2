/**
 * Carving the extranonce space so that no two miners ever hash the same work
 * (docs/stratum-and-gbt.md §8.3). The work source's template leaves `extranonce2Size` bytes for
 * the miner after its own extranonce1 (empty for a node's template, the pool's for a pool's). The
 * first `prefixBytes` of that space become a slot number: slot 0 is the engine's own boards
 * (the dispatcher fills the rest with its counter), slots 1… are the network connections, each
 * told `extranonce1 = source extranonce1 ‖ slot` and `extranonce2_size = the rest`.
 */

/** A miner's own extranonce2 is at least this long (65 536 coinbases per job). */
export const MIN_MINER_EXTRANONCE2_BYTES = 2;

export interface ExtranonceLayout {
  sourceExtranonce1: Buffer;
  sourceExtranonce2Size: number;
  /** Bytes of the source's extranonce2 that hold the slot. */
  prefixBytes: number;
  /** extranonce2_size told to a network miner. */
  minerExtranonce2Size: number;
  /** Highest slot number (connections that can be served at once). */
  maxSlot: number;
}

/**
 * The layout for a source extranonce2 of `size` bytes: 8 or more (a node's 8, ckpool's 8) keep 4
 * for the slot and give miners the rest (4, as public-pool does); 4–7 keep 2; 3 keeps 1 (255
 * miners). Smaller cannot be shared: an error sentence.
 */
export function extranonceLayout(sourceExtranonce1: Buffer, size: number): ExtranonceLayout | { error: string } {
  const prefixBytes = size >= 8 ? 4 : size >= 4 ? 2 : size === 3 ? 1 : 0;
  if (prefixBytes === 0) {
    return { error: `the work source leaves only ${size} byte(s) of extranonce2, too few to share with network miners (at least 3 are needed)` };
  }
  return {
    sourceExtranonce1: Buffer.from(sourceExtranonce1),
    sourceExtranonce2Size: size,
    prefixBytes,
    minerExtranonce2Size: size - prefixBytes,
    // Slots beyond 16 bits are never needed by a household and keep the allocator small.
    maxSlot: Math.min(2 ** (8 * prefixBytes) - 1, 0xffff),
  };
}

/** The slot bytes (big-endian); slot 0 (all zeros) belongs to the engine's own boards. */
export function slotPrefix(layout: ExtranonceLayout, slot: number): Buffer {
  if (!Number.isInteger(slot) || slot < 0 || slot > layout.maxSlot) throw new Error(`slot ${slot} does not fit ${layout.prefixBytes} byte(s)`);
  const out = Buffer.alloc(layout.prefixBytes);
  let v = slot;
  for (let i = layout.prefixBytes - 1; i >= 0; i--) {
    out[i] = v & 0xff;
    v = Math.floor(v / 256);
  }
  return out;
}

/** What a network miner on `slot` is told as its extranonce1. */
export function minerExtranonce1(layout: ExtranonceLayout, slot: number): Buffer {
  return Buffer.concat([layout.sourceExtranonce1, slotPrefix(layout, slot)]);
}

/** The source's extranonce2 for a miner's submitted extranonce2 on `slot`. */
export function sourceExtranonce2(layout: ExtranonceLayout, slot: number, minerExtranonce2: Buffer): Buffer {
  return Buffer.concat([slotPrefix(layout, slot), minerExtranonce2]);
}

export function sameLayout(a: ExtranonceLayout, b: ExtranonceLayout): boolean {
  return a.sourceExtranonce2Size === b.sourceExtranonce2Size && a.sourceExtranonce1.equals(b.sourceExtranonce1);
}

/**
 * Slot numbers for connections, handed out round robin (a slot freed by a miner that left is the
 * last to be reused, so a newcomer does not start on the same coinbases).
 */
export class SlotAllocator {
  private readonly used = new Set<number>();
  private last = 0;

  get size(): number {
    return this.used.size;
  }

  /** A free slot in 1..maxSlot, or null when all are taken. */
  take(maxSlot: number): number | null {
    if (this.used.size >= maxSlot) return null;
    for (let i = 0; i < maxSlot; i++) {
      const slot = ((this.last + i) % maxSlot) + 1;
      if (!this.used.has(slot)) {
        this.used.add(slot);
        this.last = slot;
        return slot;
      }
    }
    return null;
  }

  release(slot: number): void {
    this.used.delete(slot);
  }
}
