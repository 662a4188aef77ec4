import type { ReactNode } from 'react';
import type { KnownColumn } from '../../../../nodes/_kit/known-columns';
import type { FieldProblem, FormField } from '../fields';
import type { ParameterOption } from '../values';

/** A PostgreSQL connection an ingest node may choose: stored (Admin → Connections) or the server's environment. */
export interface ConnectionOption {
  name: string;
  source: 'stored' | 'environment';
}

/** What every control shares: its id and its links to the help and error text. */
export interface ControlProps {
  id: string;
  'aria-describedby'?: string;
  'aria-invalid'?: true;
  'aria-required'?: true;
}

/** Renders one field of a list entry: the form's own field row, so entries get every widget. */
export type RenderField = (args: {
  field: FormField;
  current: unknown;
  set: (next: unknown) => void;
  problems: FieldProblem[];
  id: string;
}) => ReactNode;

/**
 * What the field row hands every widget; each takes the part it needs. One shape for all, so the
 * row picks a widget from a map by kind (widget-map.ts) instead of a switch.
 */
export interface WidgetProps {
  field: FormField;
  /** The field's value in the config; undefined when left to its default. */
  current: unknown;
  /** Writes the field: undefined leaves it out. */
  set: (next: unknown) => void;
  control: ControlProps;
  /** The id of the field's label, for widgets named by aria-labelledby. */
  labelId: string;
  /** The label with its required mark, for widgets that show it themselves (legend, checkbox). */
  label: ReactNode;
  /** The upstream dataset's columns, when the compiler knows them. */
  columns: KnownColumn[] | undefined;
  /** The connections a 'connection' field offers, once they are loaded. */
  connections: ConnectionOption[] | undefined;
  /** The registered models' names a 'model' field offers, once they are loaded. */
  modelNames: string[] | undefined;
  parameters: ParameterOption[];
  /** Every problem of the field, those inside list entries included. */
  problems: FieldProblem[];
  renderField: RenderField;
  /** A JSON draft that does not parse (or undefined once it does): the row shows it with the problems. */
  onDraftError: (message: string | undefined) => void;
}
