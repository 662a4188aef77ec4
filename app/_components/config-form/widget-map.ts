import type { ComponentType } from 'react';
import type { Widget } from '../../../nodes/_kit/define-node';
import { parameterReference } from '../../../pipeline/parameters';
import type { FormField } from './fields';
import { fitsWidget } from './values';
import { CheckboxInput } from './widgets/CheckboxInput';
import { ChoicesInput } from './widgets/ChoicesInput';
import { ColumnInput } from './widgets/ColumnInput';
import { ColumnsInput } from './widgets/ColumnsInput';
import { ConditionInput } from './widgets/ConditionInput';
import { ConnectionInput } from './widgets/ConnectionInput';
import { JsonInput } from './widgets/JsonInput';
import { ListInput } from './widgets/ListInput';
import { ModelNameInput } from './widgets/ModelNameInput';
import { NumberInput } from './widgets/NumberInput';
import { ParameterChip } from './widgets/ParameterChip';
import { ScalarInput } from './widgets/ScalarInput';
import { SelectInput } from './widgets/SelectInput';
import { TextInput } from './widgets/TextInput';
import { ValuesInput } from './widgets/ValuesInput';
import type { WidgetProps } from './widgets/widget-props';

/**
 * What a field shows as: the widget its node type asks for, or one the value forces (a parameter
 * reference shows as a chip; a value the widget cannot show, as JSON; a constant of any type, as
 * text read as a number when it is one).
 */
export type WidgetKind = Widget | 'parameter' | 'scalar';

/**
 * How the row names a widget:
 * - label: a <label for> its control;
 * - named: a caption the widget points to by aria-labelledby (groups, the parameter chip);
 * - legend: the widget is a fieldset with the caption as its own legend;
 * - inline: the widget holds its label and sits in the caption's place (a checkbox).
 */
export type Labelling = 'label' | 'named' | 'legend' | 'inline';

export interface WidgetEntry {
  Component: ComponentType<WidgetProps>;
  labelling: Labelling;
}

export const widgetsByKind: Record<WidgetKind, WidgetEntry> = {
  parameter: { Component: ParameterChip, labelling: 'named' },
  text: { Component: TextInput, labelling: 'label' },
  scalar: { Component: ScalarInput, labelling: 'label' },
  values: { Component: ValuesInput, labelling: 'label' },
  number: { Component: NumberInput, labelling: 'label' },
  select: { Component: SelectInput, labelling: 'label' },
  column: { Component: ColumnInput, labelling: 'label' },
  connection: { Component: ConnectionInput, labelling: 'label' },
  model: { Component: ModelNameInput, labelling: 'label' },
  json: { Component: JsonInput, labelling: 'label' },
  checkbox: { Component: CheckboxInput, labelling: 'inline' },
  choices: { Component: ChoicesInput, labelling: 'named' },
  condition: { Component: ConditionInput, labelling: 'named' },
  columns: { Component: ColumnsInput, labelling: 'legend' },
  list: { Component: ListInput, labelling: 'legend' },
};

export function widgetKind(field: FormField, current: unknown): WidgetKind {
  if (parameterReference(current) !== undefined) return 'parameter';
  // A list is edited entry by entry only when the shape of its entries is known (fields.ts).
  if (field.widget === 'list' && field.item === undefined) return 'json';
  if (!fitsWidget(field, current)) return 'json';
  if (field.widget === 'text' && field.valueType === 'unknown') return 'scalar';
  return field.widget;
}
