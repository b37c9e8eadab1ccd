/** The logging port: actions log through @actions/core, the CLI through the console, tests silently. */
export interface Logger {
  debug(message: string): void;
  info(message: string): void;
  warning(message: string): void;
  error(message: string): void;
}

export const silentLogger: Logger = { debug() {}, info() {}, warning() {}, error() {} };

export function consoleLogger(verbose = false): Logger {
  return {
    debug: (m) => {
      if (verbose) console.error(`debug: ${m}`);
    },
    info: (m) => console.error(m),
    warning: (m) => console.error(`warning: ${m}`),
    error: (m) => console.error(`error: ${m}`),
  };
}
