// What the stub asks the firmware for before leaving it: the ACPI root
// pointer (from the configuration table) and the system payload, read whole
// from the Delos system partition into pages of loader data. The partition
// is found by its GPT type GUID through EFI_PARTITION_INFO_PROTOCOL, then
// read through the Block I/O protocol of the same handle.

import { Cond, Reg, Shift, mem, memIndex, memLabel } from "../../../../sdk/compiler/src/x64/assembler";
import {
  ACPI_10_TABLE_GUID, ACPI_20_TABLE_GUID, ALLOCATE_ANY_PAGES, BLOCK_IO_GUID, BLOCK_MEDIA, BLOCK_READ_BLOCKS,
  BOOT_ALLOCATE_PAGES, BOOT_HANDLE_PROTOCOL, BOOT_LOCATE_HANDLE_BUFFER, CONFIG_ENTRY_SIZE, CONFIG_VENDOR_TABLE,
  LOADER_DATA, LOCATE_BY_PROTOCOL, MEDIA_BLOCK_SIZE, MEDIA_ID, PARTITION_INFO_ENTRY, PARTITION_INFO_GUID,
  PARTITION_INFO_TYPE, PARTITION_TYPE_GPT, SYSTEM_CONFIGURATION_TABLE, SYSTEM_TABLE_ENTRIES,
} from "./efi";
import { INFO_ACPI_REVISION, INFO_PAYLOAD_BASE, INFO_PAYLOAD_SIZE, INFO_RSDP } from "./boot-info";
import { BOOT_INFO, BOOT_SERVICES, StubContext, SYSTEM_TABLE } from "./context";
import { DELOS_SYSTEM_TYPE } from "../../../../sdk/image/guid";

/** "DELOSPAK", the payload archive's magic, as a little-endian qword. */
const PAYLOAD_MAGIC: i64 = 0x4b4150534f4c4544;
/** Offset of the archive's total size in its header (docs/boot.md). */
const PAYLOAD_TOTAL_SIZE: i32 = 40;
const PAYLOAD_ENTRY_COUNT: i32 = 16;

/** Compares the 16 bytes at [base] with the GUID constant `guid`; jumps to `differs` when unequal. Clobbers rax, rdx. */
function compareGuid(c: StubContext, base: Reg, offset: i32, guid: i32, differs: i32): void {
  const asm = c.p.asm;
  asm.lea(8, Reg.RDX, memLabel(guid));
  asm.load(8, Reg.RAX, mem(base, offset));
  asm.cmpLoad(8, Reg.RAX, mem(Reg.RDX));
  asm.jcc(Cond.NE, differs);
  asm.load(8, Reg.RAX, mem(base, offset + 8));
  asm.cmpLoad(8, Reg.RAX, mem(Reg.RDX, 8));
  asm.jcc(Cond.NE, differs);
}

export function emitFirmware(c: StubContext): void {
  const asm = c.p.asm;
  const acpi20 = c.p.guid(ACPI_20_TABLE_GUID);
  const acpi10 = c.p.guid(ACPI_10_TABLE_GUID);

  // find_config_table(rsi = GUID label address) -> rax = vendor table or 0.
  asm.bind(c.findConfigTable);
  {
    const loop = asm.newLabel(), next = asm.newLabel(), none = asm.newLabel();
    asm.load(8, Reg.RCX, mem(SYSTEM_TABLE, SYSTEM_TABLE_ENTRIES));
    asm.load(8, Reg.RDI, mem(SYSTEM_TABLE, SYSTEM_CONFIGURATION_TABLE));
    asm.bind(loop);
    asm.test(8, Reg.RCX, Reg.RCX);
    asm.jcc(Cond.E, none);
    asm.load(8, Reg.RAX, mem(Reg.RDI));
    asm.cmpLoad(8, Reg.RAX, mem(Reg.RSI));
    asm.jcc(Cond.NE, next);
    asm.load(8, Reg.RAX, mem(Reg.RDI, 8));
    asm.cmpLoad(8, Reg.RAX, mem(Reg.RSI, 8));
    asm.jcc(Cond.NE, next);
    asm.load(8, Reg.RAX, mem(Reg.RDI, CONFIG_VENDOR_TABLE));
    asm.ret();
    asm.bind(next);
    asm.addImm(8, Reg.RDI, CONFIG_ENTRY_SIZE);
    asm.subImm(8, Reg.RCX, 1);
    asm.jmp(loop);
    asm.bind(none);
    asm.xor(4, Reg.RAX, Reg.RAX);
    asm.ret();
  }

  // find_rsdp: ACPI 2.0 root pointer, else 1.0; recorded with its revision.
  asm.bind(c.findRsdp);
  {
    const found = asm.newLabel(), none = asm.newLabel(), done = asm.newLabel();
    asm.subImm(8, Reg.RSP, 8);
    asm.movImm(4, Reg.RDX, 2);
    asm.store(8, mem(BOOT_INFO, INFO_ACPI_REVISION), Reg.RDX);
    asm.lea(8, Reg.RSI, memLabel(acpi20));
    asm.call(c.findConfigTable);
    asm.test(8, Reg.RAX, Reg.RAX);
    asm.jcc(Cond.NE, found);
    asm.storeImm(8, mem(BOOT_INFO, INFO_ACPI_REVISION), 1);
    asm.lea(8, Reg.RSI, memLabel(acpi10));
    asm.call(c.findConfigTable);
    asm.test(8, Reg.RAX, Reg.RAX);
    asm.jcc(Cond.E, none);
    asm.bind(found);
    asm.store(8, mem(BOOT_INFO, INFO_RSDP), Reg.RAX);
    c.log("boot: acpi rsdp ");
    asm.load(8, Reg.RAX, mem(BOOT_INFO, INFO_RSDP));
    c.logValue(Reg.RAX, true);
    c.log(" revision ");
    asm.load(8, Reg.RAX, mem(BOOT_INFO, INFO_ACPI_REVISION));
    c.logValue(Reg.RAX, false);
    c.log("\n");
    asm.jmp(done);
    asm.bind(none);
    asm.storeImm(8, mem(BOOT_INFO, INFO_ACPI_REVISION), 0);
    c.log("boot: no acpi rsdp\n");
    asm.bind(done);
    asm.addImm(8, Reg.RSP, 8);
    asm.ret();
  }

  // load_payload: the Delos system partition, read whole into loader-data pages.
  asm.bind(c.loadPayload);
  {
    const loop = asm.newLabel(), next = asm.newLabel(), found = asm.newLabel(), none = asm.newLabel();
    const bad = asm.newLabel(), failed = asm.newLabel(), done = asm.newLabel();
    const systemType = c.p.guid(DELOS_SYSTEM_TYPE);
    const partitionInfoGuid = c.p.guid(PARTITION_INFO_GUID);
    const blockIoGuid = c.p.guid(BLOCK_IO_GUID);
    asm.push(Reg.RBX);
    asm.push(Reg.R14);
    asm.subImm(8, Reg.RSP, 56);
    // LocateHandleBuffer(ByProtocol, &PartitionInfo, NULL, &count, &buffer)
    asm.movImm(4, Reg.RCX, LOCATE_BY_PROTOCOL);
    asm.lea(8, Reg.RDX, memLabel(partitionInfoGuid));
    asm.xor(4, Reg.R8, Reg.R8);
    asm.lea(8, Reg.R9, memLabel(c.handleCount));
    asm.lea(8, Reg.RAX, memLabel(c.handleBuffer));
    asm.store(8, mem(Reg.RSP, 32), Reg.RAX);
    asm.callMem(mem(BOOT_SERVICES, BOOT_LOCATE_HANDLE_BUFFER));
    asm.test(8, Reg.RAX, Reg.RAX);
    asm.jcc(Cond.NE, none);
    asm.xor(4, Reg.R14, Reg.R14);
    asm.bind(loop);
    asm.cmpLoad(8, Reg.R14, memLabel(c.handleCount));
    asm.jcc(Cond.AE, none);
    asm.load(8, Reg.RAX, memLabel(c.handleBuffer));
    asm.load(8, Reg.RBX, memIndex(Reg.RAX, Reg.R14, 8));
    // HandleProtocol(handle, &PartitionInfo, &info): a GPT partition of the Delos system type?
    asm.mov(8, Reg.RCX, Reg.RBX);
    asm.lea(8, Reg.RDX, memLabel(partitionInfoGuid));
    asm.lea(8, Reg.R8, memLabel(c.partitionInfo));
    asm.callMem(mem(BOOT_SERVICES, BOOT_HANDLE_PROTOCOL));
    asm.test(8, Reg.RAX, Reg.RAX);
    asm.jcc(Cond.NE, next);
    asm.load(8, Reg.RCX, memLabel(c.partitionInfo));
    asm.cmpMemImm(4, mem(Reg.RCX, PARTITION_INFO_TYPE), PARTITION_TYPE_GPT);
    asm.jcc(Cond.NE, next);
    compareGuid(c, Reg.RCX, PARTITION_INFO_ENTRY, systemType, next);
    // HandleProtocol(handle, &BlockIo, &blockIo)
    asm.mov(8, Reg.RCX, Reg.RBX);
    asm.lea(8, Reg.RDX, memLabel(blockIoGuid));
    asm.lea(8, Reg.R8, memLabel(c.blockIo));
    asm.callMem(mem(BOOT_SERVICES, BOOT_HANDLE_PROTOCOL));
    asm.test(8, Reg.RAX, Reg.RAX);
    asm.jcc(Cond.E, found);
    asm.bind(next);
    asm.addImm(8, Reg.R14, 1);
    asm.jmp(loop);

    asm.bind(found);
    // The first 4 KiB hold the archive header: ReadBlocks(blockIo, mediaId, 0, 4096, scratch).
    asm.load(8, Reg.RCX, memLabel(c.blockIo));
    asm.load(8, Reg.RAX, mem(Reg.RCX, BLOCK_MEDIA));
    asm.loadZeroExtend(4, Reg.RDX, mem(Reg.RAX, MEDIA_ID));
    asm.cmpMemImm(4, mem(Reg.RAX, MEDIA_BLOCK_SIZE), StubContext.SCRATCH_SIZE);
    asm.jcc(Cond.A, bad);
    asm.xor(4, Reg.R8, Reg.R8);
    asm.movImm(4, Reg.R9, StubContext.SCRATCH_SIZE);
    asm.lea(8, Reg.RAX, memLabel(c.scratch));
    asm.store(8, mem(Reg.RSP, 32), Reg.RAX);
    asm.callMem(mem(Reg.RCX, BLOCK_READ_BLOCKS));
    asm.test(8, Reg.RAX, Reg.RAX);
    asm.jcc(Cond.NE, failed);
    asm.movImm(8, Reg.RAX, PAYLOAD_MAGIC);
    asm.cmpLoad(8, Reg.RAX, memLabel(c.scratch));
    asm.jcc(Cond.NE, bad);
    // rbx = total size rounded up to pages; AllocatePages(AnyPages, LoaderData, pages, &base)
    asm.lea(8, Reg.RAX, memLabel(c.scratch));
    asm.load(8, Reg.RBX, mem(Reg.RAX, PAYLOAD_TOTAL_SIZE));
    asm.store(8, mem(BOOT_INFO, INFO_PAYLOAD_SIZE), Reg.RBX);
    asm.addImm(8, Reg.RBX, 0xfff);
    asm.andImm(8, Reg.RBX, -4096);
    asm.movImm(4, Reg.RCX, ALLOCATE_ANY_PAGES);
    asm.movImm(4, Reg.RDX, LOADER_DATA);
    asm.mov(8, Reg.R8, Reg.RBX);
    asm.shiftImm(Shift.SHR, 8, Reg.R8, 12);
    asm.lea(8, Reg.R9, mem(BOOT_INFO, INFO_PAYLOAD_BASE));
    asm.callMem(mem(BOOT_SERVICES, BOOT_ALLOCATE_PAGES));
    asm.test(8, Reg.RAX, Reg.RAX);
    asm.jcc(Cond.NE, failed);
    // ReadBlocks(blockIo, mediaId, 0, pages * 4096, base)
    asm.load(8, Reg.RCX, memLabel(c.blockIo));
    asm.load(8, Reg.RAX, mem(Reg.RCX, BLOCK_MEDIA));
    asm.loadZeroExtend(4, Reg.RDX, mem(Reg.RAX, MEDIA_ID));
    asm.xor(4, Reg.R8, Reg.R8);
    asm.mov(8, Reg.R9, Reg.RBX);
    asm.load(8, Reg.RAX, mem(BOOT_INFO, INFO_PAYLOAD_BASE));
    asm.store(8, mem(Reg.RSP, 32), Reg.RAX);
    asm.callMem(mem(Reg.RCX, BLOCK_READ_BLOCKS));
    asm.test(8, Reg.RAX, Reg.RAX);
    asm.jcc(Cond.NE, failed);
    c.log("boot: payload ");
    asm.load(8, Reg.RAX, mem(BOOT_INFO, INFO_PAYLOAD_SIZE));
    c.logValue(Reg.RAX, false);
    c.log(" bytes, ");
    asm.load(8, Reg.RAX, mem(BOOT_INFO, INFO_PAYLOAD_BASE));
    asm.loadZeroExtend(4, Reg.RAX, mem(Reg.RAX, PAYLOAD_ENTRY_COUNT));
    c.logValue(Reg.RAX, false);
    c.log(" files at ");
    asm.load(8, Reg.RAX, mem(BOOT_INFO, INFO_PAYLOAD_BASE));
    c.logValue(Reg.RAX, true);
    c.log("\n");
    asm.jmp(done);

    asm.bind(bad);
    c.log("boot: the Delos system partition holds no payload archive\n");
    asm.jmp(done);
    asm.bind(failed);
    asm.mov(8, Reg.RBX, Reg.RAX);
    c.log("boot: reading the Delos system partition failed: ");
    c.logValue(Reg.RBX, true);
    c.log("\n");
    asm.storeImm(8, mem(BOOT_INFO, INFO_PAYLOAD_BASE), 0);
    asm.storeImm(8, mem(BOOT_INFO, INFO_PAYLOAD_SIZE), 0);
    asm.jmp(done);
    asm.bind(none);
    c.log("boot: no Delos system partition\n");
    asm.bind(done);
    asm.addImm(8, Reg.RSP, 56);
    asm.pop(Reg.R14);
    asm.pop(Reg.RBX);
    asm.ret();
  }
}
