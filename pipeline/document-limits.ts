/**
 * How big a pipeline document may be. The compiler is linear, but a document is also stored,
 * sent to every editor and drawn on a canvas: these keep one careless or hostile document from
 * costing the server or the browser more than a large real pipeline would. Stated in the README.
 */
export const DOCUMENT_LIMITS = {
  nodes: 2000,
  edges: 10_000,
  notes: 500,
  parameters: 200,
  /** Characters in one sticky note. */
  noteLength: 10_000,
  /** Characters in a node label, a pipeline or parameter name, a node type or a port name. */
  nameLength: 200,
  /** Characters in a description (the pipeline's or a parameter's). */
  descriptionLength: 2000,
  /** Characters in an edge or note id (node ids have their own pattern, up to 64). */
  idLength: 128,
  /** Levels of nested objects and lists, counted from the document itself. */
  depth: 32,
} as const;

/** "2,000": limits are written as people read them. */
export function formatLimit(value: number): string {
  return value.toLocaleString('en-US');
}

export interface ShapeProblem {
  path: (string | number)[];
  message: string;
}

/**
 * The first place where a document is nested too deeply or uses "__proto__" as a key, checked
 * before the schema: a value nested thousands deep would overflow the stack of every recursive
 * reader after us (canonical hashing, parameter substitution), and a "__proto__" key would become
 * a prototype instead of a property once copied into a plain object. Iterative, so any depth is
 * measured safely.
 */
export function documentShapeProblem(document: unknown): ShapeProblem | undefined {
  const pending: { value: unknown; path: (string | number)[] }[] = [{ value: document, path: [] }];
  for (let item = pending.pop(); item; item = pending.pop()) {
    const { value, path } = item;
    if (typeof value !== 'object' || value === null) continue;
    if (path.length >= DOCUMENT_LIMITS.depth) {
      return { path, message: `nested deeper than ${DOCUMENT_LIMITS.depth} levels` };
    }
    if (Array.isArray(value)) {
      value.forEach((child, index) => {
        pending.push({ value: child, path: [...path, index] });
      });
      continue;
    }
    for (const [key, child] of Object.entries(value)) {
      if (key === '__proto__') return { path, message: '"__proto__" is not allowed as a key' };
      pending.push({ value: child, path: [...path, key] });
    }
  }
  return undefined;
}
