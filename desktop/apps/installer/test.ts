// The installer window's in-OS test: the view as the window drives it,
// with no window, over a service that records the start requests and
// answers status from a script (the installer itself is tested end to end
// by tests/install/installer-window.test.ts). The boot disk and a disk too
// small are refused with no dialog; a disk with no table is installed
// after one confirmation, without force; a disk with a table asks again,
// explicitly to erase it, and only Erase sends force; Cancel at either
// question sends nothing. The progress shows in the bar and the step line,
// the end in the status line.

import "../../../sdk/lib/abort";
import { componentExit } from "../../../ipc/generated/index";
import { expect } from "../../../sdk/lib/test";
import { Surface } from "../../lib/surface";
import { readFontFile } from "../../lib/font-file";
import { MemoryClipboard } from "../../toolkit/clipboard";
import { KEY_DOWN, KEY_ENTER, KEY_ESCAPE, KEY_TAB, Key } from "../../toolkit/keys";
import { Root } from "../../toolkit/root";
import { Theme } from "../../toolkit/theme";
import { DISK_BOOT, DISK_SMALL, DISK_TABLE, STATE_DONE, STATE_FAILED, STATE_RUNNING } from "../../../sdk/lib/install-states";
import { Disk, formatMebibytes, InstallService, InstallerView, Progress } from "./view";

const MIB: u64 = 2048;

class ScriptedInstaller extends InstallService {
  listed: Disk[] = [
    new Disk("/dev/disk0", 120 * MIB, DISK_BOOT | DISK_TABLE), new Disk("/dev/disk1", 160 * MIB, 0),
    new Disk("/dev/disk2", 200 * MIB, DISK_TABLE), new Disk("/dev/disk3", 2 * MIB, DISK_SMALL),
  ];
  started: string[] = [];
  /** The states status answers, one per call, the last repeated. */
  script: u32[] = [];
  calls: i32 = 0;

  disks(): Disk[] | null { return this.listed; }

  start(disk: string, force: bool): i32 {
    this.started.push(disk + (force ? " force" : ""));
    return 0;
  }

  status(into: Progress): bool {
    const state = this.script[min(this.calls, this.script.length - 1)];
    this.calls++;
    into.state = state;
    into.step = <u32>min(this.calls, 6);
    into.steps = 6;
    into.total = 40 << 20;
    into.done = state == STATE_RUNNING ? <u64>this.calls * (10 << 20) : 40 << 20;
    into.message = state == STATE_FAILED ? "ESP: cannot write block 7" : "ESP onto /dev/disk1";
    return true;
  }
}

function press(root: Root, code: u32): void { root.keyPressed(new Key(code, 0)); }

export function _start(): void {
  expect(formatMebibytes(0) == "0.0" && formatMebibytes(3 << 19) == "1.5" && formatMebibytes(40 << 20) == "40.0", "MiB with a decimal: " + formatMebibytes(3 << 19));
  const font = readFontFile("fonts/mono-14.atlas");
  expect(font != null, "the font");
  const service = new ScriptedInstaller();
  const root = new Root(Surface.allocate(640, 360), new Theme(font!), new MemoryClipboard());
  const view = new InstallerView(root, service);
  expect(view.refresh() && view.list.items.length == 4, "four disks listed");
  expect(view.selected!.path == "/dev/disk1", "the first disk that may be chosen is selected, not the boot disk");
  expect(view.list.items[0] == "/dev/disk0   120 MiB   the boot disk: cannot be chosen", "the boot disk's row: " + view.list.items[0]);
  expect(view.list.items[2].includes("holds a partition table"), "a disk with a table says so: " + view.list.items[2]);

  // The boot disk and a disk too small: refused, no dialog, nothing sent.
  view.list.select(0);
  expect(!view.askInstall() && view.confirm == null && view.status.text.includes("boot disk"), "the boot disk cannot be chosen: " + view.status.text);
  view.list.select(3);
  expect(!view.askInstall() && view.confirm == null && view.status.text.includes("too small"), "a disk too small: " + view.status.text);

  // disk1, no table: Install, Cancel sends nothing; Install, Enter installs without force.
  view.list.select(1);
  expect(view.askInstall() && view.confirm != null && view.confirm!.isOpen, "Install asks first");
  expect(view.confirm!.message == "Install Delos on /dev/disk1 (160 MiB)?", "the question: " + view.confirm!.message);
  press(root, KEY_ESCAPE);
  expect(service.started.length == 0 && view.status.text.startsWith("Nothing was written"), "Escape: " + view.status.text);
  service.script = [STATE_RUNNING, STATE_RUNNING, STATE_DONE];
  view.askInstall();
  press(root, KEY_ENTER);
  expect(service.started.length == 1 && service.started[0] == "/dev/disk1", "confirmed: started without force: " + service.started.join(","));
  expect(view.running && view.bar.filled > 0 && view.step.text.startsWith("Step 1 of 6: ESP onto /dev/disk1, 10.0 of 40.0 MiB"), "the first progress: " + view.step.text);
  expect(!view.askInstall() && view.status.text.includes("runs"), "no second installation meanwhile: " + view.status.text);
  view.poll();
  view.poll();
  expect(!view.running && view.status.text == "Installed on /dev/disk1: it boots by itself.", "the end: " + view.status.text);
  expect(view.bar.filled == view.bar.bounds.width - 2, "the bar full");

  // disk2 has a table: the erase question; Cancel there sends nothing; Erase sends force.
  view.list.select(2);
  view.askInstall();
  press(root, KEY_ENTER);
  expect(service.started.length == 1 && view.confirm == null && root.popup != null, "a disk with a table: asked again");
  press(root, KEY_TAB);
  press(root, KEY_ENTER);
  expect(service.started.length == 1 && view.status.text.startsWith("Kept /dev/disk2"), "Cancel at the erase question: " + view.status.text);
  service.script = [STATE_FAILED];
  service.calls = 0;
  view.askInstall();
  press(root, KEY_ENTER);
  press(root, KEY_ENTER);
  expect(service.started.length == 2 && service.started[1] == "/dev/disk2 force", "Erase: force sent: " + service.started.join(","));
  expect(!view.running && view.status.text == "Installation failed: ESP: cannot write block 7", "a failure named: " + view.status.text);

  // The list's keys: Down then Enter asks too.
  view.list.select(0);
  root.giveFocus(view.list);
  press(root, KEY_DOWN);
  press(root, KEY_ENTER);
  expect(view.confirm != null && view.target!.path == "/dev/disk1", "Enter on a row asks about that disk");
  press(root, KEY_ESCAPE);
  componentExit(0);
}
