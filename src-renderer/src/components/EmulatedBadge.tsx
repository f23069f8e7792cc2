/** Marks figures that come from an emulator at difficulty scale 2^-K (docs/design.md §2). */
export function EmulatedBadge({ scaleBits }: { scaleBits: number }): React.JSX.Element {
  return (
    <span className="badge badge-emulated" data-testid="emulated-badge" title={`Emulated board: nonces are returned at ticket difficulty × 2^-${scaleBits}; hashrate is weighted accordingly.`}>
      EMULATED ×2<sup>-{scaleBits}</sup>
    </span>
  );
}
