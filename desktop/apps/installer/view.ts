// The installer window's contents, from the toolkit: a line asking for a
// disk, the disks in a list (path, size, and what stands in the way: the
// boot disk, a partition table, too small), Refresh and Install, then a
// progress bar, the step under way and a status line.
//
// Install on the boot disk or a disk too small says why and does nothing.
// Otherwise a dialog asks to confirm; a disk that holds a partition table
// asks a second time, explicitly to erase it, and only that answer sends
// the installer `force`. While the installation runs the app asks the
// installer how far it is (`poll`) and shows it; the end shows "Installed
// on ..." or what went wrong.
//
// The installer itself is the service's (InstallService): the app's talks to
// /install, the in-OS test records what would be sent.

import { Rect } from "../../lib/surface";
import { Button } from "../../toolkit/button";
import { Dialog } from "../../toolkit/dialog";
import { Label } from "../../toolkit/label";
import { ListView } from "../../toolkit/list";
import { Painter } from "../../toolkit/painter";
import { Root } from "../../toolkit/root";
import { Listener, Widget } from "../../toolkit/widget";
import { installError } from "../../lib/install";
import { INSTALL_ERROR_TOO_SMALL } from "../../../servers/install/generated/protocols/install";
import { DISK_BOOT, DISK_SMALL, DISK_TABLE, STATE_DONE, STATE_FAILED, STATE_IDLE, STATE_RUNNING } from "../../../sdk/lib/install-states";

const MIB_SECTORS: u64 = 2048;

/** A disk as install.disk tells of it. */
export class Disk {
  constructor(readonly path: string, readonly sectors: u64, readonly flags: u32) {}
  get isBoot(): bool { return (this.flags & DISK_BOOT) != 0; }
  get hasTable(): bool { return (this.flags & DISK_TABLE) != 0; }
  get isSmall(): bool { return (this.flags & DISK_SMALL) != 0; }
  get mebibytes(): u64 { return this.sectors / MIB_SECTORS; }

  /** Its row in the list. */
  get row(): string {
    const what = this.isBoot ? "the boot disk: cannot be chosen" : this.isSmall ? "too small"
      : this.hasTable ? "holds a partition table: erased by installing" : "empty";
    return this.path + "   " + this.mebibytes.toString() + " MiB   " + what;
  }
}

/** How far an installation is, as install.status tells. */
export class Progress {
  state: u32 = STATE_IDLE;
  step: u32 = 0;
  steps: u32 = 0;
  done: u64 = 0;
  total: u64 = 0;
  message: string = "";
}

/** The installer as the window uses it; `problem` says why a call failed. */
export abstract class InstallService {
  problem: string = "";
  /** The disks, in order; null when they cannot be listed. */
  abstract disks(): Disk[] | null;
  /** install.start: 0 once the installation began, else an error (`problem` says it). */
  abstract start(disk: string, force: bool): i32;
  /** install.status into `into`: false when the installer does not answer. */
  abstract status(into: Progress): bool;
}

/** A bar filled in proportion: `done` of `total`. */
export class ProgressBar extends Widget {
  private done: u64 = 0;
  private total: u64 = 0;

  set(done: u64, total: u64): void {
    if (done == this.done && total == this.total) return;
    this.done = done;
    this.total = total;
    this.invalidate();
  }

  /** The filled width, in pixels. */
  get filled(): i32 {
    const inner = max(0, this.bounds.width - 2);
    return this.total == 0 ? 0 : <i32>(<u64>inner * min<u64>(this.done, this.total) / this.total);
  }

  paint(painter: Painter): void {
    const theme = this.theme;
    painter.fill(this.local, theme.field);
    painter.frame(this.local, 1, theme.border);
    painter.fill(new Rect(1, 1, this.filled, max(0, this.bounds.height - 2)), theme.accent);
  }
}

class Actions extends Listener {
  constructor(readonly view: InstallerView) { super(); }
  activated(source: Widget, index: i32): void { this.view.activated(source, index); }
}

/** "12.3": `bytes` in MiB with one decimal. */
export function formatMebibytes(bytes: u64): string {
  const tenths = bytes * 10 / (1 << 20);
  return (tenths / 10).toString() + "." + (tenths % 10).toString();
}

export class InstallerView {
  readonly prompt: Label;
  readonly list: ListView;
  readonly refreshButton: Button;
  readonly installButton: Button;
  readonly bar: ProgressBar;
  readonly step: Label;
  readonly status: Label;
  disks: Disk[] = [];
  /** The dialog open now (the confirmation, then the erase question), or null. */
  confirm: Dialog | null = null;
  private erase: Dialog | null = null;
  /** The disk the dialogs are about, and the installation's once started. */
  target: Disk | null = null;
  /** An installation started from this window runs: `poll` asks how far it is. */
  running: bool = false;
  readonly progress: Progress = new Progress();
  private actions: Actions | null = null;

  constructor(readonly root: Root, readonly service: InstallService) {
    this.prompt = root.add(new Label("Choose the disk to install Delos on:"), 0, 0, 1, 1);
    this.list = root.add(new ListView(), 0, 0, 1, 1);
    this.refreshButton = root.add(new Button("Refresh"), 0, 0, 1, 1);
    this.installButton = root.add(new Button("Install"), 0, 0, 1, 1);
    this.bar = root.add(new ProgressBar(), 0, 0, 1, 1);
    this.step = root.add(new Label(""), 0, 0, 1, 1);
    this.status = root.add(new Label(""), 0, 0, 1, 1);
    const actions = new Actions(this);
    this.actions = actions;
    this.list.listener = actions;
    this.refreshButton.listener = actions;
    this.installButton.listener = actions;
    this.layout(root.bounds.width, root.bounds.height);
    root.giveFocus(this.list);
  }

  /** Places the widgets for a window of width × height: the list takes what the rest leaves. */
  layout(width: i32, height: i32): void {
    const theme = this.root.rootTheme;
    const gap = theme.padding * 2;
    const rowHeight = theme.rowHeight;
    const controlHeight = rowHeight + 6;
    const inner = max(1, width - 2 * gap);
    this.prompt.setBounds(gap, gap, inner, rowHeight);
    const statusY = height - gap - rowHeight;
    const stepY = statusY - rowHeight;
    const barY = stepY - gap - rowHeight;
    const buttonsY = barY - gap - controlHeight;
    const listY = 2 * gap + rowHeight;
    this.list.setBounds(gap, listY, inner, max(1, buttonsY - gap - listY));
    const installWidth = this.buttonWidth("Install"), refreshWidth = this.buttonWidth("Refresh");
    this.installButton.setBounds(width - gap - installWidth, buttonsY, installWidth, controlHeight);
    this.refreshButton.setBounds(width - 2 * gap - installWidth - refreshWidth, buttonsY, refreshWidth, controlHeight);
    this.bar.setBounds(gap, barY, inner, rowHeight);
    this.step.setBounds(gap, stepY, inner, rowHeight);
    this.status.setBounds(gap, statusY, inner, rowHeight);
  }

  private buttonWidth(caption: string): i32 {
    const theme = this.root.rootTheme;
    return max(theme.font.measure(caption) + 4 * theme.padding, 64);
  }

  /** Lists the disks again; the selection stays on the same disk, else the first that may be chosen. */
  refresh(): bool {
    const keep = this.selected != null ? this.selected!.path : "";
    const disks = this.service.disks();
    if (disks == null) { this.status.text = this.service.problem; return false; }
    this.disks = disks;
    const rows = new Array<string>(disks.length);
    for (let i = 0; i < disks.length; i++) rows[i] = disks[i].row;
    this.list.selected = -1;
    this.list.setItems(rows);
    let select = -1;
    for (let i = 0; i < disks.length; i++) if (disks[i].path == keep) select = i;
    for (let i = 0; i < disks.length && select < 0; i++) if (!disks[i].isBoot) select = i;
    if (select >= 0) this.list.select(select);
    if (!this.running) this.status.text = disks.length.toString() + (disks.length == 1 ? " disk" : " disks");
    return true;
  }

  get selected(): Disk | null {
    const index = this.list.selected;
    return index >= 0 && index < this.disks.length ? this.disks[index] : null;
  }

  /** Install pressed: the refusals, or the confirmation. */
  askInstall(): bool {
    const disk = this.selected;
    if (this.running) { this.status.text = "An installation runs: wait for its end."; return false; }
    if (disk == null) { this.status.text = "Choose a disk first."; return false; }
    if (disk.isBoot) { this.status.text = disk.path + " is the boot disk: the system is copied from it. Choose another."; return false; }
    if (disk.isSmall) { this.status.text = disk.path + " is " + installError(INSTALL_ERROR_TOO_SMALL) + "."; return false; }
    this.target = disk;
    this.confirm = this.ask("Install Delos on " + disk.path + " (" + disk.mebibytes.toString() + " MiB)?", ["Install", "Cancel"]);
    return true;
  }

  private ask(message: string, captions: string[]): Dialog {
    const dialog = new Dialog(message, captions);
    dialog.listener = this.actions;
    dialog.open(this.root);
    return dialog;
  }

  /** The confirmation's answer: 0 installs, or asks to erase first. */
  private confirmed(index: i32): void {
    this.confirm = null;
    const disk = this.target!;
    if (index != 0) { this.status.text = "Nothing was written to " + disk.path + "."; return; }
    if (disk.hasTable) {
      this.erase = this.ask(disk.path + " holds a partition table: erase everything on it?", ["Erase", "Cancel"]);
      return;
    }
    this.install(disk, false);
  }

  private erased(index: i32): void {
    this.erase = null;
    const disk = this.target!;
    if (index != 0) { this.status.text = "Kept " + disk.path + " as it is."; return; }
    this.install(disk, true);
  }

  /** Sends install.start (`force` only after the erase question); the installer's refusal goes to the status line. */
  install(disk: Disk, force: bool): void {
    const started = this.service.start(disk.path, force);
    if (started < 0) { this.status.text = "Cannot install on " + disk.path + ": " + this.service.problem + "."; return; }
    this.running = true;
    this.bar.set(0, 1);
    this.status.text = "Installing on " + disk.path + "...";
    this.poll();
  }

  /** Asks the installer how far it is and shows it; at the end, the result. */
  poll(): void {
    if (!this.running) return;
    const progress = this.progress;
    if (!this.service.status(progress)) { this.status.text = this.service.problem; return; }
    this.bar.set(progress.done, progress.total);
    const disk = this.target!.path;
    if (progress.state == STATE_RUNNING) {
      this.step.text = "Step " + progress.step.toString() + " of " + progress.steps.toString() + ": " + progress.message + ", "
        + formatMebibytes(progress.done) + " of " + formatMebibytes(progress.total) + " MiB";
      return;
    }
    this.running = false;
    // The disk changed (a table now): listed again, the result over the listing's count.
    this.refresh();
    if (progress.state == STATE_DONE) {
      this.step.text = "Copied " + formatMebibytes(progress.done) + " MiB in " + progress.steps.toString() + " steps.";
      this.status.text = "Installed on " + disk + ": it boots by itself.";
    } else if (progress.state == STATE_FAILED) {
      this.status.text = "Installation failed: " + progress.message;
    } else {
      this.status.text = "The installer restarted and the installation stopped: press Install again.";
    }
  }

  activated(source: Widget, index: i32): void {
    if (source === this.refreshButton) this.refresh();
    else if (source === this.installButton || source === this.list) this.askInstall();
    else if (source === this.confirm) this.confirmed(index);
    else if (source === this.erase) this.erased(index);
  }
}
