import { afterEach, describe, expect, it } from 'vitest';
import { Chain, TICKET_CHANGE_GRACE_MS } from '../../../src-main/boards/chain.js';
import { SerialTransport, type BindingInterface } from '../../../src-main/boards/transport.js';
import { autoTicketDifficulty } from '../../../src-main/chips/bm13xx/auto-ticket.js';
import { bm1370 } from '../../../src-main/chips/bm1370.js';
import { createEmulatorBinding } from '../../../src-main/emulator/binding.js';
import type { VirtualChain } from '../../../src-main/emulator/chain.js';

const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of closers.splice(0).reverse()) await c().catch(() => undefined);
});

async function rig(ticketDifficulty: number | 'auto', frequencyMhz: number, chips = 1) {
  let emulated: VirtualChain | null = null;
  const binding = createEmulatorBinding({ model: 'bm1370', chips, scaleBits: 0, hashing: 'inline', onOpen: (c) => (emulated = c) });
  const transport = new SerialTransport({ path: `emulator:${chips}:bm1370`, baudRate: bm1370.resetBaud, binding: binding as unknown as BindingInterface });
  await transport.open();
  closers.push(() => transport.close());
  const chain = new Chain(bm1370, transport, { frequencyMhz, ticketDifficulty, versionMask: 0x1fffe000, delayScale: 0 });
  closers.push(async () => chain.dispose());
  await chain.initialise();
  return { chain, chipTicket: (i = 0) => emulated!.chips[i]!.ticketDifficulty };
}

const settle = () => new Promise((r) => setTimeout(r, 50));

describe('Chain ticket difficulty', () => {
  it("'auto' writes the ticket for the chips found at their frequency", async () => {
    const { chain, chipTicket } = await rig('auto', 525, 4);
    expect(chain.chipCount).toBe(4);
    expect(chain.ticketDifficulty).toBe(autoTicketDifficulty(bm1370, 4, chain.frequencyMhz));
    expect(chain.ticketDifficulty).toBe(8);
    await settle();
    expect([0, 1, 2, 3].map(chipTicket)).toEqual([8, 8, 8, 8]);
  });

  it("'auto' follows a frequency change; replies count at the ticket in force when they were found", async () => {
    const { chain, chipTicket } = await rig('auto', 300);
    expect(chain.ticketDifficulty).toBe(1);
    const before = Date.now();
    await chain.changeFrequency(900);
    const written = Date.now();
    expect(chain.ticketDifficulty).toBe(4);
    await settle();
    expect(chipTicket()).toBe(4);
    expect(chain.ticketAt(before)).toBe(1);
    // Replies read just after the write were already on their way: still the old ticket.
    expect(chain.ticketAt(written - 1)).toBe(1);
    expect(chain.ticketAt(written + TICKET_CHANGE_GRACE_MS + 1)).toBe(4);
    await chain.changeFrequency(300);
    expect(chain.ticketDifficulty).toBe(1);
    expect(chain.ticketAt(Date.now() + TICKET_CHANGE_GRACE_MS + 1)).toBe(1);
  });

  it('a number stays the ticket through frequency changes, rounded down to a power of two', async () => {
    const { chain, chipTicket } = await rig(1000, 300);
    expect(chain.ticketDifficulty).toBe(512);
    await chain.changeFrequency(900);
    expect(chain.ticketDifficulty).toBe(512);
    expect(chain.ticketAt(0)).toBe(512);
    await settle();
    expect(chipTicket()).toBe(512);
  });
});
