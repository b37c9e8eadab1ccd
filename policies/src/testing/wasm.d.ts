/** A `.wasm` import is a compiled WebAssembly.Module in workerd (wrangler/Miniflare "CompiledWasm" rule). */
declare module '*.wasm' {
  import type { PolicyWasm } from '../engine.js';
  const module: PolicyWasm;
  export default module;
}
