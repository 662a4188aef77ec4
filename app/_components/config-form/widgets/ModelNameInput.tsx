'use client';

import { TextInput } from './TextInput';
import type { WidgetProps } from './widget-props';

/**
 * A registered model's name: typed in (a new name registers a new model) or picked from the
 * registry's names, offered as suggestions once they are loaded.
 */
export function ModelNameInput({ field, current, set, control, modelNames }: WidgetProps) {
  const offered = modelNames?.length ? { ...field, suggestions: modelNames } : field;
  return <TextInput field={offered} current={current} set={set} control={control} placeholder="churn" />;
}
