// The loader: reads `delos` components and instantiates them. Portable
// AssemblyScript with no host-only imports: the linux runtime uses it today,
// the kernel will use it unchanged, each supplying its own Platform.

export { loaderError, setLoaderError } from "./error";
export { CompiledComponent, ComponentExport, ComponentFunction, ComponentImport, DataSegment, ElementSegment, readComponent } from "./component";
export { ExternValue, FunctionInstance, GlobalInstance, MemoryInstance, Namespace, TableInstance } from "./extern";
export { CodeLocation, Linker } from "./linker";
export { Instance, instantiate } from "./instance";
export { Access, Platform } from "./platform";
export { Signatures } from "./signatures";
