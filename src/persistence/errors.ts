/**
 * Errors of the persistence formats.
 *
 * @module
 */

/** An RDB file or DUMP payload that can't be read. */
export class RdbError extends Error {
  /** Creates the error. */
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "RdbError";
  }
}
