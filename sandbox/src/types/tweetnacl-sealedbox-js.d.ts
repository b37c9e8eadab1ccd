// tweetnacl-sealedbox-js ships no types; its Node entry is CommonJS, so ESM sees one default export.
declare module 'tweetnacl-sealedbox-js' {
  const sealedbox: {
    overheadLength: number;
    seal(message: Uint8Array, publicKey: Uint8Array): Uint8Array;
    open(sealed: Uint8Array, publicKey: Uint8Array, secretKey: Uint8Array): Uint8Array | null;
  };
  export default sealedbox;
}
