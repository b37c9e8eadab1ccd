// wrangler (and our esbuild build) hand `.wasm` imports to workerd as precompiled modules.
declare module '*.wasm' {
  const module: WebAssembly.Module;
  export default module;
}
