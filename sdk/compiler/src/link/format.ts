// Constants of the `delos` component format (docs/delos-format.md), shared by
// its only writer (link/component.ts) and its only reader (sdk/loader).

/** "DLOS", read as a little-endian u32. */
export const COMPONENT_MAGIC: u32 = 0x534f4c44;
export const COMPONENT_VERSION: u32 = 1;
export const COMPONENT_HEADER_SIZE: i32 = 12;

/** Header flag bits. */
export const COMPONENT_EXPLICIT_BOUNDS: u32 = 1;
export const COMPONENT_PRIVILEGED: u32 = 2;
export const COMPONENT_KNOWN_FLAGS: u32 = 3;

/** Marks "none" in u32 fields: no start function, no code offset. */
export const COMPONENT_NONE: u32 = 0xffffffff;

/** The largest vmctx a component may ask for. */
export const COMPONENT_MAX_VMCTX: u32 = 16 << 20;

/** Sections, each present exactly once, in this order. */
export const enum Section {
  Types = 1,
  Imports = 2,
  Functions = 3,
  Tables = 4,
  Memories = 5,
  Globals = 6,
  Exports = 7,
  Start = 8,
  Elements = 9,
  Data = 10,
  Vmctx = 11,
  Code = 12,
  PcMap = 13,
  Count = 13,
}

export function sectionName(id: i32): string {
  switch (id) {
    case Section.Types: return "types";
    case Section.Imports: return "imports";
    case Section.Functions: return "functions";
    case Section.Tables: return "tables";
    case Section.Memories: return "memories";
    case Section.Globals: return "globals";
    case Section.Exports: return "exports";
    case Section.Start: return "start";
    case Section.Elements: return "elements";
    case Section.Data: return "data";
    case Section.Vmctx: return "vmctx";
    case Section.Code: return "code";
    case Section.PcMap: return "pc map";
  }
  return "section " + id.toString();
}
