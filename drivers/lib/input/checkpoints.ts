// Two copies of a driver's checkpoint, one committed, so that a change
// spread over many fields becomes visible in one store: `begin` copies the
// committed copy over the other, the driver changes only that one, and
// `commit` flips which copy is committed. A driver killed before the flip
// leaves the committed copy as it was; after it, the whole change holds.
// The pointer driver keeps its consumption of the device's queue and its
// input cursor this way (drivers/tablet/state.ts).

export class Checkpoints {
  /**
   * Over memory the driver keeps (a state object, zeroed when new): the
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
