/** What the demo sites log through: pino's shape, so the provider's logger can be passed in. */
export interface SiteLogger {
  info(fields: object, message: string): void;
  warn(fields: object, message: string): void;
  error(fields: object, message: string): void;
}

export const silentLogger: SiteLogger = {
  info() {},
  warn() {},
  error() {},
};
