/**
 * The one error type the data layer throws for bad input files.
 *
 * Every message starts with the file it is about (`data_batch_1.bin: ...`) and says what
 * was expected, so the UI and the CLI can show `error.message` as it is, on one line.
 */
export class DatasetError extends Error {
  /** The file (or archive member, as `archive/member`) the problem is in. */
  readonly file: string;

  constructor(file: string, problem: string) {
    super(`${file}: ${problem}`);
    this.name = 'DatasetError';
    this.file = file;
  }
}

/** Byte counts for messages: `30730001 bytes`. */
export function bytesText(n: number): string {
  return `${n} byte${n === 1 ? '' : 's'}`;
}
