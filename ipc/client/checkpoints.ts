// Two copies of a component's checkpoint, one committed, so that a change
// spread over many fields becomes visible in one store (shadow paging):
// `begin` copies the committed copy over the other, the component changes
// only that one, and `commit` flips which copy is committed. A component
// killed before the flip leaves the committed copy as it was; after it,
// the whole change holds. The input ledger (input-ledger.ts), the keyboard
// driver's decoder (drivers/keyboard/state.ts) and the pointer driver's
// consumption of its device's queue (drivers/tablet/state.ts) are kept so.

export class Checkpoints {
  /**
   * Over memory the component keeps (a state object, zeroed when new): the
   * u32 at `selector` says which copy is committed; the copies lie at
   * `copies`, `bytes` each.
   */
  constructor(readonly selector: usize, readonly copies: usize, readonly bytes: u32) {}

  /** The committed copy's address. */
  get committed(): usize { return this.copy(load<u32>(this.selector)); }

  /** The other copy's address: the one a change is made in. */
  get working(): usize { return this.copy(load<u32>(this.selector) ^ 1); }

  private copy(which: u32): usize { return this.copies + <usize>(which & 1) * <usize>this.bytes; }

  /** Starts a change: the working copy becomes a copy of the committed one; its address. */
  begin(): usize {
    const working = this.working;
    memory.copy(working, this.committed, this.bytes);
    return working;
  }

  /** Makes the working copy the committed one: one store. */
  commit(): void { store<u32>(this.selector, load<u32>(this.selector) ^ 1); }
}
