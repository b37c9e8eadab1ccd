/** Test and benchmark support (Node only): fake-secret material, the labelled corpus, representative inputs. */
export * from './random.js';
export * from './corpus.js';
export * from './inputs.js';
