// An asc transform for components: exports where AssemblyScript keeps its
// shadow stack, so that the kernel can give each of a component's threads
// frames of its own (docs/kernel.md, "Threads of one component").
//
// Under `--runtime incremental` asc keeps managed locals in a shadow stack
// in linear memory: the mutable global `__stack_pointer` grows down from
// `__heap_base` towards `__data_end` (`--stackSize` bytes apart), and the
// collector scans [__stack_pointer, __heap_base). asc exports none of the
// three, so this transform does, under those names, once the module is
// compiled (binaryen's optimiser then keeps them). A module without a
// shadow stack (`--runtime stub` or `minimal`, where asc's stack size is 0)
// has no `__stack_pointer` and gets no exports: the kernel then has
// nothing to move.

const GLOBALS = ["__stack_pointer", "__data_end", "__heap_base"];

export default class ShadowStackExports {
  afterCompile(module) {
    const missing = GLOBALS.filter((name) => module.getGlobal(`~lib/memory/${name}`) === 0);
    if (missing.includes("__stack_pointer")) return;
    if (missing.length > 0) throw new Error(`shadow-stack exports: the module has __stack_pointer but no ${missing.join(", ")}`);
    for (const name of GLOBALS) module.addGlobalExport(`~lib/memory/${name}`, name);
  }
}
