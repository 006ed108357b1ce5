// Canonical signature ids: one number per distinct function type, shared
// by every instance of a linker, so that call_indirect can compare a table
// element's type with the expected one by a single integer comparison even
// when the element comes from another component.

import { FuncType } from "../compiler/src/module";

export class Signatures {
  private types: FuncType[] = [];

  /** The id of `type`: equal ids for structurally equal types; never 0 (0 marks a null element). */
  id(type: FuncType): u64 {
    for (let i = 0; i < this.types.length; i++) {
      if (this.types[i].equals(type)) return <u64>(i + 1);
    }
    this.types.push(type);
    return <u64>this.types.length;
  }
}
