/** Where a command writes: stdout for results, stderr for progress, so `--json` output stays parseable. */
export interface Output {
  json: boolean;
  print(line: string): void;
  progress(line: string): void;
}

export function consoleOutput(json: boolean): Output {
  return {
    json,
    print: (line) => process.stdout.write(`${line}\n`),
    progress: (line) => process.stderr.write(`${line}\n`),
  };
}
