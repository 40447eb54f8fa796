import fs from 'node:fs';
import { parse, type Options } from 'csv-parse';

const OPTIONS: Options = {
  bom: true,
  skip_empty_lines: true,
  relax_column_count: true,
  trim: true,
  max_record_size: 64 * 1024,
};

/** Streams the records of a CSV file (arrays of cells); never holds the file in memory. */
export function csvRecords(filePath: string, fromLine = 1): AsyncIterable<string[]> {
  return fs.createReadStream(filePath).pipe(parse({ ...OPTIONS, from_line: fromLine }));
}

/**
 * The records of a CSV file in arrays of up to `size`, read synchronously from the parser's buffer
 * between waits: one promise per array instead of one per record (the import's per-row overhead).
 * The parser stays paused while the consumer works, so memory holds about one array.
 */
export async function* csvRecordBatches(
  filePath: string,
  fromLine: number,
  size: number,
): AsyncGenerator<string[][]> {
  const parser = fs.createReadStream(filePath).pipe(parse({ ...OPTIONS, from_line: fromLine }));
  let failure: unknown;
  let ended = false;
  parser.on('error', (error) => (failure = error));
  parser.on('end', () => (ended = true));
  try {
    let batch: string[][] = [];
    for (;;) {
      let record: string[] | null;
      while ((record = parser.read() as string[] | null) !== null) {
        batch.push(record);
        if (batch.length >= size) {
          yield batch;
          batch = [];
        }
      }
      if (failure) throw failure;
      if (ended) break;
      await new Promise<void>((resolve) => {
        const wake = () => {
          parser.off('readable', wake).off('end', wake).off('error', wake);
          resolve();
        };
        parser.on('readable', wake).on('end', wake).on('error', wake);
      });
    }
    if (batch.length) yield batch;
  } finally {
    parser.destroy();
  }
}

/** The header row, reading only as far as needed. */
export async function readHeader(filePath: string): Promise<string[]> {
  const stream = fs.createReadStream(filePath);
  const parser = stream.pipe(parse({ ...OPTIONS, to_line: 1 }));
  try {
    for await (const record of parser as AsyncIterable<string[]>) return record;
    return [];
  } finally {
    stream.destroy();
  }
}

/** Number of data rows (after the header), by a streaming pass. */
export async function countDataRows(filePath: string): Promise<number> {
  let count = 0;
  for await (const record of csvRecords(filePath, 2)) if (record.some((value) => value !== '')) count++;
  return count;
}
