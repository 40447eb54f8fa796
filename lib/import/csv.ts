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
