// How widgets look: one font and a few colours, shared by a window's
// widgets through its root. Dimensions follow the font, so a larger atlas
// makes larger widgets.

import { Font } from "../lib/text";

export class Theme {
  background: u32 = 0xeceff1;
  foreground: u32 = 0x1c2025;
  /** Text of widgets that cannot be used now. */
  disabled: u32 = 0x8a9099;
  /** Inside text fields and lists. */
  field: u32 = 0xffffff;
  border: u32 = 0x9aa3ad;
  /** The focused widget's border, a pressed button, the selected row's background. */
  accent: u32 = 0x2f6fdb;
  /** Text on the accent colour. */
  accentText: u32 = 0xffffff;
  /** Selected text's background in a text field. */
  selection: u32 = 0xb6d0fa;
  button: u32 = 0xdde2e7;
  buttonPressed: u32 = 0xc3ccd6;
  scrollbar: u32 = 0xb8c0c8;

  constructor(readonly font: Font) {}

  /** Space between a widget's edge and its text. */
  get padding(): i32 { return max(2, this.font.size / 4); }
  /** A row of a list or a menu. */
  get rowHeight(): i32 { return this.font.lineHeight + 4; }
}
