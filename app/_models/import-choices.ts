/** The import dialog's choices, shared by its steps. Browser-safe. */

/** `auto`: production when the model has none yet and the importer may promote (the server decides). */
export type AliasChoice = 'auto' | 'production' | 'staging' | 'none';

/** A sample CSV chosen in the dialog: its text is sent with the import. */
export interface Sample {
  fileName: string;
  text: string;
  header: string[];
  rows: number;
}

export function aliasChoice(value: string): AliasChoice {
  return value === 'production' || value === 'staging' || value === 'none' ? value : 'auto';
}
