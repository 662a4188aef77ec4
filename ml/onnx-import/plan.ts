import { describeValue, type GraphDescription, type GraphLabels } from './describe';
import { ModelImportError } from './import-error';
import { SERVED_OUTPUTS } from './rewrite';

/** What the importer says about the graph: column names (or a sample's header) and labels. */
export interface ImportMapping {
  /** The column for each feature or input, in graph order (--columns, the dialog's list). */
  columns?: readonly string[];
  /** The sample CSV's header, which gives the columns when `columns` does not. */
  sampleHeader?: readonly string[];
  /** The class labels in the order of the probabilities (--labels): they override the graph's. */
  labels?: readonly string[];
}

/** The columns the imported version takes, and its labels (classification) in probability order. */
export interface ImportPlan {
  columns: string[];
  labels: GraphLabels | null;
  /** Whether the labels differ from the ones the graph's label output gives (then it is rebuilt). */
  labelsOverridden: boolean;
}

const MAX_COLUMN = 100;
const RESERVED = new Set<string>(Object.values(SERVED_OUTPUTS));

/** Decides the columns and labels, refusing with a sentence naming the counts or the name at fault. */
export function planImport(graph: GraphDescription, mapping: ImportMapping): ImportPlan {
  const columns = columnsOf(graph, mapping);
  checkColumnNames(columns);
  const { labels, overridden } = labelsOf(graph, mapping.labels);
  return { columns, labels, labelsOverridden: overridden };
}

function columnsOf(graph: GraphDescription, mapping: ImportMapping): string[] {
  const form = graph.inputForm;
  const given = mapping.columns?.map((name) => name.trim());
  if (form.kind === 'matrix') {
    const input = graph.inputs[0];
    const count = form.features;
    const inputText = input ? describeValue(input) : form.input;
    const what =
      count === null
        ? `The model takes one tensor of features (input ${inputText})`
        : `The model takes ${count} features (input ${inputText})`;
    if (given) {
      if (count !== null && given.length !== count)
        throw new ModelImportError(
          `${what} but ${given.length} column${given.length === 1 ? ' was' : 's were'} given (${given.join(', ')})`,
        );
      return given;
    }
    const header = mapping.sampleHeader?.map((name) => name.trim());
    if (!header)
      throw new ModelImportError(
        `${what}: name its ${count ?? ''}${count === null ? '' : ' '}columns in order (--columns a,b,c) or give a sample CSV whose header names them`,
      );
    if (count !== null && header.length !== count)
      throw new ModelImportError(
        `${what} but the sample CSV has ${header.length} columns (${header.join(', ')}): give the ${count} in order with --columns`,
      );
    return header;
  }
  const names = graph.inputs.map((input) => input.name);
  if (!given) return names;
  if (given.length !== names.length)
    throw new ModelImportError(
      `The model takes ${names.length} inputs (${names.join(', ')}) but ${given.length} column${given.length === 1 ? ' was' : 's were'} given (${given.join(', ')})`,
    );
  return given;
}

function checkColumnNames(columns: readonly string[]): void {
  const seen = new Set<string>();
  for (const [index, name] of columns.entries()) {
    if (name === '') throw new ModelImportError(`Column ${index + 1} has no name`);
    if (name.length > MAX_COLUMN)
      throw new ModelImportError(`Column ${index + 1}'s name is longer than ${MAX_COLUMN} characters`);
    if (RESERVED.has(name) || name.startsWith('imported/') || name.startsWith('pipewright/'))
      throw new ModelImportError(
        `A column cannot be named "${name}": the served graph's outputs take that name`,
      );
    if (seen.has(name)) throw new ModelImportError(`Column "${name}" is named twice`);
    seen.add(name);
  }
}

function labelsOf(
  graph: GraphDescription,
  given: readonly string[] | undefined,
): { labels: GraphLabels | null; overridden: boolean } {
  if (graph.task === 'regression') {
    if (given?.length)
      throw new ModelImportError('The model predicts a number (it has no classifier): it takes no labels');
    return { labels: null, overridden: false };
  }
  const trimmed = given?.map((label) => label.trim());
  if (trimmed?.some((label) => label === '')) throw new ModelImportError('A label is empty');
  if (trimmed && new Set(trimmed).size !== trimmed.length)
    throw new ModelImportError('A label is given twice');
  if (!trimmed?.length) {
    if (!graph.labels)
      throw new ModelImportError(
        'The graph does not name its classes: give the labels in the order of its probabilities (--labels x,y,z)',
      );
    return { labels: graph.labels, overridden: false };
  }
  if (graph.labels && graph.labels.length !== trimmed.length)
    throw new ModelImportError(
      `The graph has ${graph.labels.length} classes (${graph.labels.join(', ')}) but ${trimmed.length} labels were given (${trimmed.join(', ')})`,
    );
  const same = graph.labels?.every((label, index) => String(label) === trimmed[index]) ?? false;
  return { labels: same && graph.labels ? graph.labels : trimmed, overridden: !same };
}
