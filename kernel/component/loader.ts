// Loading a component at run time: wasm in, a running component out.
//
//   1. the wasm file from the payload;
//   2. its manifest, the custom section `delos.manifest`, and the grant
//      its parent gave component.spawn (the root grant for init): its
//      rights are the grant's as far as the manifest asks for them, and
//      the grant must lie within the parent's own (authority.ts), both
//      within the policy for its kind (policy.ts);
//   3. native code: from the cache by the wasm's SHA-256, else compiled
//      ahead of time (cache/HEX.delos in the payload), else compiled now by
//      the compiler component (compiler.ts), then cached;
//   4. its imports: only system calls (`delos.*`) its rights cover; its
//      initial memory and table within its quotas; its AssemblyScript
//      shadow stack, if it exports one (component-shadow-stack.ts);
//   5. instantiated through sdk/loader with the kernel's Platform
//      (platform.ts): its own memory reservation, table and vmctx;
//   6. its first thread, at the priority its rights give, runs the start
//      sequence (run.ts).
//
// Loads run on the loader thread, one at a time: compiling takes long and
// runs with interrupts on. component.spawn queues a job and waits for it;
// main queues the first component (init) at boot. The loader runs at the
// highest priority of the threads waiting for its jobs when that is above
// its own, lent as a server serves at its client's: otherwise any busy
// component between its priority and a spawner's would keep a spawner of
// high priority waiting as long as it likes (the in-OS test time-slices
// spawns two spinners above the loader's own priority, from above theirs).
// Any failure is reported on the console as `load: PATH: REASON` and
// given to the requester as an error code.

import { CompiledComponent, readComponent } from "../../sdk/loader/component";
import { loaderError } from "../../sdk/loader/error";
import { instantiate } from "../../sdk/loader/instance";
import { Linker } from "../../sdk/loader/linker";
import * as console from "../console";
import { BlockReason, Thread, WakeReason } from "../object/thread";
import { NO_PRIORITY, PRIORITY_DEFAULT } from "../sched/priority";
import { applyPriority, blockRaw, block, wake } from "../sched/scheduler";
import { createKernelThread } from "../sched/threads";
import { WaitQueue } from "../sched/wait-queue";
import { bindSystemCalls, checkImports } from "./system-calls";
import { now } from "../time";
import { cached, prebuiltPath, remember } from "./cache";
import { Component, ComponentState, registerComponent } from "./component";
import { compileError, compileWasm } from "./compiler";
import { MANIFEST_SECTION, Manifest, manifestError, parseManifest } from "./manifest";
import { KernelPlatform } from "./platform";
import { readPayloadFile } from "./payload";
import { authorityError, identityOf, quotaProblem, resolveRights, rootGrant } from "./authority";
import { startComponent } from "./run";
import { readShadowStackLayout, shadowStackError } from "./component-shadow-stack";
import { sha256Hex } from "./sha256";
import { cyclesToNanos } from "../sched/timeouts";

// The error codes of ipc/table/errors.ts a load can end with (negative in results).
export const LOAD_NOT_FOUND: i32 = 7;
export const LOAD_INVALID: i32 = 5;
export const LOAD_DENIED: i32 = 3;
export const LOAD_NO_MEMORY: i32 = 6;
export const LOAD_QUOTA_EXCEEDED: i32 = 16;

let linker: Linker | null = null;

/** The one linker every component is instantiated against: the system calls as module `delos`. */
export function kernelLinker(): Linker {
  if (linker == null) {
    const created = new Linker(new KernelPlatform());
    bindSystemCalls(created);
    linker = created;
  }
  return linker!;
}

/** A request to the loader thread. */
export class LoadJob {
  path: string;
  /** The parent's grant, manifest text ("": nothing beyond the defaults); ignored for a component the kernel starts. */
  grant: string;
  supervisor: Component | null;
  endNotice: Object | null;
  /** Filled in by the loader. */
  done: bool = false;
  component: Component | null = null;
  errorCode: i32 = 0;
  error: string = "";
  /** TSC cycles the load took, and how it got its code. */
  cycles: u64 = 0;
  compiled: bool = false;
  /** Threads waiting for it. */
  readonly waiters: WaitQueue = new WaitQueue();

  constructor(path: string, grant: string, supervisor: Component | null, endNotice: Object | null) {
    this.path = path;
    this.grant = grant;
    this.supervisor = supervisor;
    this.endNotice = endNotice;
  }
}

const jobs = new Array<LoadJob>();
const idle = new WaitQueue();
let loaderThread: Thread | null = null;
/** Called with every finished job (main reports the first component's load). */
let loadCount: u32 = 0;

export function loadsDone(): u32 { return loadCount; }

function fail(job: LoadJob, code: i32, why: string): void {
  job.errorCode = code;
  job.error = why;
}

/** The custom section `name` of `wasm`, or null (also for a malformed module: the compiler will say why). */
export function customSection(wasm: Uint8Array, name: string): Uint8Array | null {
  if (wasm.length < 8 || load<u32>(wasm.dataStart) != 0x6d736100) return null;
  let at = 8;
  const wanted = String.UTF8.encode(name);
  const wantedLength = wanted.byteLength;
  while (at < wasm.length) {
    const id = wasm[at++];
    let size: u32 = 0, shift: u32 = 0;
    while (true) {
      if (at >= wasm.length || shift > 28) return null;
      const byte = wasm[at++];
      size |= <u32>(byte & 0x7f) << shift;
      shift += 7;
      if ((byte & 0x80) == 0) break;
    }
    if (<u64>at + <u64>size > <u64>wasm.length) return null;
    const end = at + <i32>size;
    if (id == 0) {
      let nameLength: u32 = 0;
      let p = at;
      shift = 0;
      while (true) {
        if (p >= end || shift > 28) return null;
        const byte = wasm[p++];
        nameLength |= <u32>(byte & 0x7f) << shift;
        shift += 7;
        if ((byte & 0x80) == 0) break;
      }
      if (<u64>p + <u64>nameLength <= <u64>end && <i32>nameLength == wantedLength
        && memory.compare(wasm.dataStart + <usize>p, changetype<usize>(wanted), <usize>nameLength) == 0) {
        return wasm.slice(p + <i32>nameLength, end);
      }
    }
    at = end;
  }
  return null;
}

/** The compiled code for `wasm`: cached, prebuilt or compiled now; null with the job's error set. */
function codeFor(job: LoadJob, wasm: Uint8Array): CompiledComponent | null {
  const hash = sha256Hex(wasm);
  const hit = cached(hash);
  if (hit != null) return hit;
  let bytes = readPayloadFile(prebuiltPath(hash));
  if (bytes == null) {
    bytes = compileWasm(kernelLinker(), wasm);
    if (bytes == null) { fail(job, LOAD_INVALID, "does not compile: " + compileError); return null; }
    job.compiled = true;
  }
  const compiled = readComponent(bytes!);
  if (compiled == null) { fail(job, LOAD_INVALID, "compiled code unreadable: " + loaderError()); return null; }
  if (compiled.privileged) { fail(job, LOAD_DENIED, "compiled code is privileged"); return null; }
  remember(hash, compiled);
  return compiled;
}

/**
 * What a load learns from a payload file's bytes alone — its manifest and
 * its compiled code — kept by path. The payload does not change while the
 * system runs, so a restart reads, expands, hashes and parses nothing
 * again: it only resolves the grant and makes the new instance.
 */
class LoadedFile {
  constructor(readonly path: string, readonly manifest: Manifest, readonly compiled: CompiledComponent) {}
}

const loadedFiles = new Array<LoadedFile>();

function keptFile(path: string): LoadedFile | null {
  for (let i = 0; i < loadedFiles.length; i++) if (loadedFiles[i].path == path) return loadedFiles[i];
  return null;
}

/** Loads and starts the component of job.path; fills in the job. */
function runJob(job: LoadJob): void {
  const kept = keptFile(job.path);
  let wasm: Uint8Array | null = null;
  let manifest: Manifest | null = null;
  if (kept != null) {
    manifest = kept.manifest;
  } else {
    wasm = readPayloadFile(job.path);
    if (wasm == null) { fail(job, LOAD_NOT_FOUND, "no such file in the payload"); return; }
    const section = customSection(wasm!, MANIFEST_SECTION);
    if (section == null) { fail(job, LOAD_INVALID, "no " + MANIFEST_SECTION + " section"); return; }
    manifest = parseManifest(String.UTF8.decodeUnsafe(section.dataStart, <usize>section.length));
    if (manifest == null) { fail(job, LOAD_INVALID, manifestError); return; }
  }
  const supervisor = job.supervisor;
  let grant = rootGrant();
  if (supervisor != null) {
    const parsed = parseManifest(job.grant, true);
    if (parsed == null) { fail(job, LOAD_INVALID, "grant: " + manifestError); return; }
    grant = parsed;
  }
  const rights = resolveRights(supervisor != null ? supervisor.rights : rootGrant(), grant, manifest!);
  if (rights == null) { fail(job, LOAD_DENIED, authorityError); return; }
  let compiled: CompiledComponent | null = kept != null ? kept.compiled : null;
  if (compiled == null) {
    compiled = codeFor(job, wasm!);
    if (compiled == null) return;
    loadedFiles.push(new LoadedFile(job.path, manifest!, compiled!));
  }
  const denied = checkImports(compiled!, rights!);
  if (denied.length > 0) { fail(job, LOAD_DENIED, denied); return; }
  const quota = quotaProblem(rights!, compiled!.memories.length > 0 ? <u64>compiled!.memories[0].min : 0,
    compiled!.tables.length > 0 ? <u64>compiled!.tables[0].limits.min : 0);
  if (quota.length > 0) { fail(job, LOAD_QUOTA_EXCEEDED, quota); return; }
  const shadowStack = readShadowStackLayout(compiled!);
  if (shadowStackError.length > 0) { fail(job, LOAD_INVALID, shadowStackError); return; }
  const identity = identityOf(supervisor != null ? supervisor.identity : "", rights!.name);
  const component = startComponent(kernelLinker(), compiled!, rights!, identity, supervisor, job.endNotice, shadowStack);
  if (component == null) return fail(job, LOAD_NO_MEMORY, "cannot instantiate: " + loaderError());
  job.component = component;
}

function reportLoad(job: LoadJob): void {
  console.begin();
  console.text("load: ");
  console.text(job.path);
  if (job.component != null) {
    const component = job.component!;
    console.text(": component ");
    console.decimal(<u64>component.id);
    console.text(" (");
    console.text(component.identity);
    console.text(") running, ");
    console.text(job.compiled ? "compiled" : "cached code");
    console.text(" in ");
    console.decimal(cyclesToNanos(job.cycles) / 1000);
    console.text(" us, code at ");
    console.hex(component.compiled!.mappedCode);
  } else {
    console.text(": ");
    console.text(job.error);
  }
  console.end();
}

function loaderMain(argument: i64): void {
  while (true) {
    if (jobs.length == 0) {
      blockRaw(BlockReason.Other, -1, idle);
      continue;
    }
    const job = jobs.shift();
    runningJob = job;
    const started = now();
    runJob(job);
    job.cycles = now() - started;
    job.done = true;
    loadCount++;
    reportLoad(job);
    while (!job.waiters.isEmpty) wake(job.waiters.first!, WakeReason.Woken);
    runningJob = null;
    lendLoaderPriority(NO_PRIORITY);
  }
}

/** The job the loader thread runs now, null between jobs. */
let runningJob: LoadJob | null = null;

/** The higher of `highest` and the priority of the first thread waiting for `job`. */
function waitingPriority(job: LoadJob, highest: i32): i32 {
  const first = job.waiters.first;
  return first != null && first.priority > highest ? first.priority : highest;
}

/**
 * Lends the loader thread the highest priority of the threads waiting for
 * its jobs, `also` among them (a spawner about to wait), when it is above
 * the loader's own; takes the lent priority back when none is.
 */
function lendLoaderPriority(also: i32): void {
  const loader = loaderThread;
  if (loader == null) return;
  let highest = also;
  const running = runningJob;
  if (running != null) highest = waitingPriority(running, highest);
  for (let i = 0; i < jobs.length; i++) highest = waitingPriority(unchecked(jobs[i]), highest);
  loader.lent = highest > loader.ownPriority ? highest : NO_PRIORITY;
  applyPriority(loader);
}

/** Starts the loader thread (once, at boot). */
export function startLoader(): bool {
  loaderThread = createKernelThread(loaderMain, 0, PRIORITY_DEFAULT);
  return loaderThread != null;
}

/** Queues a load of `path` with `grant`; the loader thread does it. */
export function requestLoad(path: string, grant: string, supervisor: Component | null, endNotice: Object | null): LoadJob {
  const job = new LoadJob(path, grant, supervisor, endNotice);
  jobs.push(job);
  const loader = loaderThread;
  if (loader != null) wake(loader, WakeReason.Woken);
  return job;
}

/**
 * component.spawn: loads `path` for the calling component (its supervisor)
 * with `grant` and waits until it runs. The new component's id, or a
 * negative error.
 */
export function spawnComponent(path: string, grant: string, endNotice: Object | null, caller: Thread): i32 {
  const job = requestLoad(path, grant, caller.component, endNotice);
  lendLoaderPriority(caller.priority);
  while (!job.done) block(BlockReason.Load, -1, job.waiters);
  if (job.component == null) return -job.errorCode;
  return <i32>job.component!.id;
}

export { ComponentState };
