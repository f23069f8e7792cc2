/**
 * Version rolling on the chip (docs/bm13xx-protocol.md §2.6, §3.4): register 0xA4's low 16 bits are
 * a mask over header version bits 28..13; the chip reports the rolled bits as a 16-bit field.
 */

/** Number of distinct fields under a 16-bit mask (2^popcount). */
export function versionFieldCount(fieldMask: number): number {
  let bits = 0;
  for (let m = fieldMask & 0xffff; m; m &= m - 1) bits++;
  return 2 ** bits;
}

/** The k-th field under the mask: the bits of k deposited into the mask's set positions, low to high. */
export function versionFieldAt(index: number, fieldMask: number): number {
  let field = 0;
  let k = index;
  for (let bit = 0; bit < 16 && k > 0; bit++) {
    if ((fieldMask >>> bit) & 1) {
      if (k & 1) field |= 1 << bit;
      k >>>= 1;
    }
  }
  return field;
}

/** Header version for a field: base OR (field << 13), as the host rebuilds it. */
export function rolledVersion(baseVersion: number, field: number): number {
  return (baseVersion | ((field & 0xffff) << 13)) >>> 0;
}
