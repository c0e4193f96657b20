/**
 * The text an uncompressed PDF made by pdfkit shows: pdfkit writes each run of text as hex strings
 * in a TJ array ("[<5265636569> 20 <7074> 0] TJ", kerning between), in the standard fonts'
 * WinAnsi encoding. The runs are joined with a space, so assertions can look for whole phrases.
 */
export function pdfText(pdf: Buffer): string {
  const source = pdf.toString('latin1');
  const runs: string[] = [];
  for (const array of source.matchAll(/\[((?:\s*<[0-9a-fA-F]*>\s*-?[0-9.]*)+)\]\s*TJ/g)) {
    let run = '';
    for (const hex of (array[1] as string).matchAll(/<([0-9a-fA-F]*)>/g))
      run += Buffer.from(hex[1] as string, 'hex').toString('latin1');
    runs.push(run.replace(/\x95/g, '•').replace(/\x92/g, '’'));
  }
  return runs.join(' ');
}
