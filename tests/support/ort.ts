import ort from 'onnxruntime-node';

/** For tests: runs an exported graph in onnxruntime, one thread (the sums in a fixed order). */
export async function runGraph(
  bytes: Uint8Array,
  columns: Record<string, readonly (number | string)[]>,
): Promise<Record<string, { type: string; dims: readonly number[]; data: (number | string)[] }>> {
  const session = await ort.InferenceSession.create(bytes, { intraOpNumThreads: 1 });
  const feeds: Record<string, ort.Tensor> = {};
  for (const name of session.inputNames) {
    const values = columns[name];
    if (!values) throw new Error(`no values for input "${name}"`);
    feeds[name] = values.every((value) => typeof value === 'number')
      ? new ort.Tensor('float64', Float64Array.from(values as number[]), [values.length, 1])
      : new ort.Tensor('string', values.map(String), [values.length, 1]);
  }
  const results = await session.run(feeds);
  return Object.fromEntries(
    Object.entries(results).map(([name, tensor]) => [
      name,
      {
        type: tensor.type,
        dims: tensor.dims,
        data: Array.from(tensor.data as ArrayLike<number | bigint | string>, (value) =>
          typeof value === 'bigint' ? Number(value) : value,
        ),
      },
    ]),
  );
}

/** The names of a graph's inputs, in order. */
export async function inputNames(bytes: Uint8Array): Promise<readonly string[]> {
  return (await ort.InferenceSession.create(bytes)).inputNames;
}
