// The instructions the baseline generator chooses for small cases, read back
// with objdump: the targeted fixes of the baseline tier (the codegen-*
// differential tests check that the results stay right; these check that the
// cheaper form is what is emitted, and that the costly one is gone). Each
// case shows the listing before the fix and after it (Intel syntax, the
// function body after its prologue).

import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestFunction } from "../harness";
import { compileComponent } from "../../sdk/host/linux";
import { componentCode } from "../boot/kernel-link.test";
import { runTool } from "../boot/tools";
import { wat } from "./codegen";

/** The instructions of a module's code blob, as objdump prints them (operands with single spaces). */
/** The instructions `module` compiles to by `tier`, as objdump prints them (operands with single spaces). */
export function compiledInstructions(module: Uint8Array, tier: 1 | 2 = 1): string[] {
  const code = componentCode(compileComponent(module, { tier }));
  const directory = mkdtempSync(join(tmpdir(), "delos-shape-"));
  try {
    writeFileSync(join(directory, "code.bin"), code);
    const listing = runTool("objdump", ["-D", "-b", "binary", "-m", "i386:x86-64", "-M", "intel", join(directory, "code.bin")]).output;
    return listing.split("\n")
      .map((line) => /^\s*[0-9a-f]+:\t(?:[0-9a-f]{2} )+\s*\t(.*)$/.exec(line)?.[1]?.replace(/\s+/g, " ").replace(/ +#.*$/, "").trim())
      .filter((text): text is string => !!text);
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
}

interface Shape {
  what: string;
  source: string;
  /** Each must match some instruction. */
  present: RegExp[];
  /** None may match any instruction. */
  absent: RegExp[];
  /** Optional: how many instructions match a pattern. */
  count?: [RegExp, number];
  /** The tier that compiles it (the baseline when absent). */
  tier?: 1 | 2;
}

const SHAPES: Shape[] = [
  {
    // An i32 argument copied from its frame slot to the outgoing slot.
    //   before: mov r11,QWORD PTR [rbp+0x10]; mov QWORD PTR [rsp],r11
    //           (an 8-byte load of a 4-byte store: the store cannot forward, the load waits for it to retire)
    //   after:  mov r11d,DWORD PTR [rbp+0x10]; mov DWORD PTR [rsp+0x20],r11d
    // (The fifth i32 argument of a direct call: the first four go in registers.)
    what: "an i32 copied memory to memory with four bytes",
    source: `(module
      (func $g (param i32 i32 i32 i32 i32) (result i32) (i32.add (local.get 0) (local.get 4)))
      (func (export "f") (param i32) (result i32)
        (call $g (i32.const 1) (i32.const 2) (i32.const 3) (i32.const 4) (local.get 0))))`,
    present: [/^mov r11d,DWORD PTR \[rbp\+0x10\]$/, /^mov DWORD PTR \[rsp\+0x20\],r11d$/],
    absent: [/^mov r11,QWORD PTR \[rbp/, /^mov QWORD PTR \[rsp\+0x20\],r11$/],
  },
  {
    // i32.div_s by 7.
    //   before: mov ebx,0x7; mov eax,DWORD PTR [rbp+0x10]; cdq; idiv ebx
    //   after:  movsxd rbx,eax; imul rbx,rbx,0xffffffff92492493; sar rbx,0x20; add ebx,eax; sar ebx,0x2;
    //           mov r11d,ebx; shr r11d,0x1f; add ebx,r11d
    what: "i32.div_s by 7: a magic multiply",
    source: `(module (func (export "f") (param i32) (result i32) (i32.div_s (local.get 0) (i32.const 7))))`,
    present: [/^imul r\w+,r\w+,0xffffffff92492493$/, /^sar r\w+,0x20$/],
    absent: [/^idiv /, /^div /, /^cdq$/],
  },
  {
    // i64.rem_u by 10.
    //   before: mov ebx,0xa; mov rax,QWORD PTR [rbp+0x10]; xor edx,edx; div rbx
    //   after:  movabs rax,0xcccccccccccccccd; mul rbx; shr rdx,0x3; imul rdx,rdx,0xa; sub rbx,rdx
    what: "i64.rem_u by 10: the high half of a multiply, then x - q * 10",
    source: `(module (func (export "f") (param i64) (result i64) (i64.rem_u (local.get 0) (i64.const 10))))`,
    present: [/^movabs rax,0xcccccccccccccccd$/, /^mul r\w+$/, /^shr rdx,0x3$/, /^imul rdx,rdx,0xa$/],
    absent: [/^idiv /, /^div /],
  },
  {
    // Powers of two: shifts (the signed one with its bias for negative dividends), and / -1 with its overflow trap.
    //   before: idiv / div for each
    //   after:  i32.div_u 16: shr eax,0x4; i32.div_s 16: mov, sar 0x1f, shr 0x1c, add, sar 0x4;
    //           i32.div_s -1: neg; jo <integer overflow>
    what: "division by powers of two and by -1 without a divide",
    source: `(module
      (func (export "u") (param i32) (result i32) (i32.div_u (local.get 0) (i32.const 16)))
      (func (export "s") (param i32) (result i32) (i32.div_s (local.get 0) (i32.const 16)))
      (func (export "m") (param i32) (result i32) (i32.div_s (local.get 0) (i32.const -1))))`,
    present: [/^shr e\w+,0x4$/, /^shr e\w+,0x1c$/, /^sar e\w+,0x4$/, /^neg e\w+$/, /^jo /],
    absent: [/^idiv /, /^div /],
  },
  {
    // A float constant that must be in a register.
    //   before: movabs r11,0x3ff8000000000000; movq xmm0,r11; subsd xmm0,QWORD PTR [rbp+0x10]
    //   after:  movsd xmm0,QWORD PTR [rip+0x18]; subsd xmm0,QWORD PTR [rbp+0x10]
    what: "a float constant loaded rip-relative from the pool",
    source: `(module (func (export "f") (param f64) (result f64) (f64.sub (f64.const 1.5) (local.get 0))))`,
    present: [/^movsd xmm\d+,QWORD PTR \[rip\+0x[0-9a-f]+\]$/],
    absent: [/^movabs /, /^movq xmm/],
  },
  {
    // A global read four times (a shadow-stack pointer's pattern).
    //   before: mov eax,DWORD PTR [r14+0x30]; mov DWORD PTR [r15+rax*1],ebx; ... four loads of [r14+0x30]
    //   after:  mov r12d,DWORD PTR [r14+0x30]; mov DWORD PTR [r15+r12*1],ebx; mov DWORD PTR [r15+r12*1+0x4],ebx; ...
    what: "a global read four times is loaded once",
    source: `(module
      (memory 1)
      (global $sp (mut i32) (i32.const 1024))
      (func (export "f") (param i32)
        (i32.store (global.get $sp) (local.get 0))
        (i32.store offset=4 (global.get $sp) (local.get 0))
        (i32.store offset=8 (global.get $sp) (local.get 0))
        (i32.store offset=12 (global.get $sp) (local.get 0))))`,
    present: [/^mov DWORD PTR \[r15\+r\w+\*1\+0xc\],(e\w+|r\d+d)$/],
    absent: [],
    count: [/DWORD PTR \[r14\+0x30\]/, 1],
  },
  {
    // call_indirect.
    //   before: mov r11,QWORD PTR [r11]; imul rax,rax,0x18; add r11,rax; ... mov r14,QWORD PTR [r11+0x10];
    //           mov r15,QWORD PTR [r14]; call QWORD PTR [r11+0x8]; mov r14,QWORD PTR [rbp-0x8]; mov r15,QWORD PTR [r14]
    //   after:  mov r11,QWORD PTR [r11]; lea rax,[rax+rax*2]; lea r11,[r11+rax*8]; ... mov rax,QWORD PTR [r11+0x10];
    //           cmp rax,r14; jne <other>; call QWORD PTR [r11+0x8]; jmp <done>;
    //           <other>: mov r14,rax; mov r15,QWORD PTR [r14]; call QWORD PTR [r11+0x8]; mov r14,QWORD PTR [rbp-0x8]; ...
    what: "call_indirect: scaled addressing, no instance switch for a callee of the same instance",
    source: `(module
      (type $t (func (result i32)))
      (table 1 funcref)
      (func (export "f") (param i32) (result i32) (call_indirect (type $t) (local.get 0))))`,
    present: [/^lea r\w+,\[r\w+\+r\w+\*2\]$/, /^lea r11,\[r11\+r\w+\*8\]$/, /^cmp r\w+,r14$/],
    absent: [/^imul r\w+,r\w+,0x18$/],
    count: [/^call QWORD PTR \[r11\+0x8\]$/, 2],
  },
  {
    // A loop of call_indirects with its counter and sum in callee-saved registers.
    //   before: the call clobbered every register: the locals stored to the save area before each call
    //           (mov QWORD PTR [rbp-0x10],rbx) and reloaded after it
    //   after:  a callee of this instance keeps rbx, r12 and r13 (compiled code); the path to another
    //           instance's callee (possibly native) keeps them in three outgoing slots above the arguments:
    //           mov QWORD PTR [rsp+0x8],rbx; ... call QWORD PTR [r11+0x8]; ... mov rbx,QWORD PTR [rsp+0x8]
    what: "register locals stay in rbx, r12 and r13 across call_indirect; another instance's callee is called with them kept aside",
    source: `(module
      (type $t (func (param i32) (result i32)))
      (table 1 funcref)
      (func (export "f") (param i32) (result i32) (local i32 i32)
        (loop $again
          (local.set 2 (i32.add (local.get 2) (call_indirect (type $t) (local.get 1) (i32.const 0))))
          (local.set 1 (i32.add (local.get 1) (i32.const 1)))
          (br_if $again (i32.lt_u (local.get 1) (local.get 0))))
        (local.get 2)))`,
    present: [/^mov QWORD PTR \[rsp\+0x8\],rbx$/, /^mov QWORD PTR \[rsp\+0x10\],r12$/, /^mov QWORD PTR \[rsp\+0x18\],r13$/,
      /^mov rbx,QWORD PTR \[rsp\+0x8\]$/, /^mov r12,QWORD PTR \[rsp\+0x10\]$/, /^mov r13,QWORD PTR \[rsp\+0x18\]$/],
    absent: [/^mov DWORD PTR \[rbp-0x[0-9a-f]+\],(ebx|r12d|r13d)$/],
    // The prologue's saves of the entry values, and no other store of the three to the frame around the calls.
    count: [/^mov QWORD PTR \[rbp-0x[0-9a-f]+\],(rbx|r12|r13)$/, 3],
  },
  {
    // A counted loop converting its i32 counter, a register local, to f64.
    //   before: ea: mov rax,rbx; xorps xmm0,xmm0; cvtsi2sd xmm0,eax; addsd xmm8,xmm0; add ebx,0x1; cmp ebx,r12d; jb 0xea
    //   after:  ea: nop DWORD PTR [rax+rax*1+0x0]; nop DWORD PTR [rax+rax*1+0x0]; nop WORD PTR [rax+rax*1+0x0]
    //           100: xorps xmm0,xmm0; cvtsi2sd xmm0,ebx; addsd xmm8,xmm0; add ebx,0x1; cmp ebx,r12d; jb 0x100
    what: "a loop header on a 32-byte boundary (long NOP padding); int-to-float from the local's own register",
    source: `(module
      (func (export "f") (param i32) (result f64) (local i32) (local f64)
        (loop
          (local.set 2 (f64.add (local.get 2) (f64.convert_i32_s (local.get 1))))
          (local.set 1 (i32.add (local.get 1) (i32.const 1)))
          (br_if 0 (i32.lt_u (local.get 1) (local.get 0))))
        (local.get 2)))`,
    // (A function without calls keeps its locals in r8-r10 first: docs/compiler-abi.md.)
    present: [/^cvtsi2sd xmm\d+,(ebx|r\d+d)$/, /^jb 0x[0-9a-f]*[02468ace]0$/, /^nop /],
    absent: [/^mov rax,(rbx|r\d+)$/],
  },
  {
    // A loop whose counter, sum and bound live in registers, with a call of
    // the module's own function in it.
    //   before: every register scratch across the call: the assigned locals
    //           stored to their slots before it (mov DWORD PTR [rbp-0x18],ebx)
    //           and all three reloaded after it (mov ebx,DWORD PTR [rbp-0x18])
    //   after:  rbx, r12, r13 callee-saved: saved once in the prologue
    //           (mov QWORD PTR [rbp-0x10],rbx) and restored before ret; nothing
    //           stored or reloaded around the call
    what: "register locals in rbx, r12 and r13 stay there across a call of the module's own function",
    source: `(module
      (func $g (param i32) (result i32) (i32.add (local.get 0) (i32.const 1)))
      (func (export "f") (param i32) (result i32) (local i32 i32)
        (loop $again
          (local.set 2 (i32.add (local.get 2) (call $g (local.get 1))))
          (local.set 1 (i32.add (local.get 1) (i32.const 1)))
          (br_if $again (i32.lt_u (local.get 1) (local.get 0))))
        (local.get 2)))`,
    present: [/^mov QWORD PTR \[rbp-0x10\],rbx$/, /^mov rbx,QWORD PTR \[rbp-0x10\]$/, /^mov QWORD PTR \[rbp-0x20\],r13$/, /^mov r13,QWORD PTR \[rbp-0x20\]$/],
    absent: [/^mov DWORD PTR \[rbp-0x[0-9a-f]+\],(ebx|r12d|r13d)$/],
    // The parameter comes in rdi (the slot entry loads it): one move to its register in the prologue, no reload after the call.
    count: [/^mov (rbx|r12|r13),rdi$/, 1],
  },
];

// The register convention of direct calls (generate/convention.ts): three
// arguments rotated through rdi, rsi and rdx (a cycle), the result in eax,
// no outgoing slot written or read; the exported function's slot entry
// loads its parameters from the caller's slots. The same in both tiers
// ($sub3 has more values than tier 2 inlines outside a loop).
const ROTATE = `(module
  (func $sub3 (param i32 i32 i32) (result i32)
    (i32.or (i32.and (i32.sub (i32.mul (local.get 0) (i32.const 100)) (i32.add (i32.mul (local.get 1) (i32.const 10))
      (i32.xor (local.get 2) (i32.rotl (local.get 0) (local.get 1))))) (i32.const 0xfffff)) (i32.shl (local.get 2) (i32.const 3))))
  (func (export "rotate") (param i32 i32 i32) (result i32)
    (i32.add (call $sub3 (local.get 1) (local.get 2) (local.get 0))
             (call $sub3 (local.get 2) (local.get 0) (local.get 1)))))`;
for (const tier of [1, 2] as const) {
  SHAPES.push({
    what: `tier ${tier}: a direct call's arguments in rdi, rsi and rdx and its result in eax; the exported function's slot entry`,
    source: ROTATE,
    tier,
    present: [/^mov edi,DWORD PTR \[rsp\+0x8\]$/, /^mov esi,DWORD PTR \[rsp\+0x10\]$/, /^mov edx,DWORD PTR \[rsp\+0x18\]$/, /^call /],
    absent: [/^mov (BYTE|WORD|DWORD|QWORD) PTR \[rsp(\+0x[0-9a-f]+)?\],/, /^mov \w+,(DWORD|QWORD) PTR \[rsp\]$/],
  });
}

export function register(test: TestFunction): void {
  for (const shape of SHAPES) {
    test(`generated code: ${shape.what} (objdump)`, (t) => {
      const listing = compiledInstructions(wat(shape.source), shape.tier ?? 1);
      for (const pattern of shape.present) t.ok(listing.some((text) => pattern.test(text)), `emits ${pattern}`);
      for (const pattern of shape.absent) t.eq(listing.filter((text) => pattern.test(text)), [], `no ${pattern}`);
      if (shape.count) {
        const [pattern, expected] = shape.count;
        t.eq(listing.filter((text) => pattern.test(text)).length, expected, `${expected} × ${pattern}`);
      }
    });
  }
}
