/** Shapes shared by the model-import workflow and its activity. Types only: the workflow imports them. */

export interface ImportCheckInput {
  /** The import's folder under DATA_DIR/model-imports (a UUID the app made). */
  importId: string;
  task: 'classification' | 'regression';
  /** Classification: how many labels the version will have (the probabilities' width must match). */
  labelCount: number;
}

/** What onnxruntime made of the rewritten graph on the sample rows (or on one row of zeros). */
export interface ImportCheckResult {
  rows: number;
  /** Whether the rows were the sample's (false: one row of zeros, to see that the graph runs). */
  sample: boolean;
}

export interface ModelImportActivities {
  /** Runs the rewritten graph in onnxruntime; refuses (non-retryable) with a sentence naming what fails. */
  checkImportedModel(input: ImportCheckInput): Promise<ImportCheckResult>;
}
