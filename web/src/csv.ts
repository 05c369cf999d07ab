/**
 * @module web/csv
 * CSV text (RFC 4180: fields holding a comma, a quote or a line break are quoted, quotes doubled,
 * records ended by CRLF) and its download as a file from the browser, with a byte-order mark so
 * spreadsheet programs read Vietnamese as UTF-8.
 */
export type CsvValue = string | number | null | undefined;

export function csvField(value: CsvValue): string {
  const text = value === null || value === undefined ? '' : String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function toCsv(rows: readonly (readonly CsvValue[])[]): string {
  return rows.map((row) => row.map(csvField).join(',')).join('\r\n') + '\r\n';
}

/** Saves `text` as `filename` (a client-side Blob; nothing is sent to the server). */
export function downloadCsv(filename: string, text: string): void {
  const blob = new Blob(['\uFEFF', text], { type: 'text/csv;charset=utf-8' });
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 0);
}
