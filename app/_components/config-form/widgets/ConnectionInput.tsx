'use client';

import { TextInput } from './TextInput';
import type { WidgetProps } from './widget-props';

const sameName = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

/**
 * A PostgreSQL connection by name: a select of the stored connections and the server's
 * PIPEWRIGHT_CONNECTION_* ones; until they are known, the name is typed in.
 */
export function ConnectionInput({ field, current, set, control, connections }: WidgetProps) {
  const name = typeof current === 'string' ? current : '';
  if (!connections)
    return <TextInput field={field} current={current} set={set} control={control} placeholder="SALES_DB" />;
  // Names ignore case (like the environment variables): the option shows as chosen either way.
  const chosen = connections.find((connection) => sameName(connection.name, name));
  return (
    <select
      {...control}
      className="cf-input cf-select"
      value={chosen?.name ?? name}
      onChange={(event) => set(event.target.value === '' ? undefined : event.target.value)}
    >
      <option value="">
        {connections.length ? 'Choose a connection…' : 'No connections yet (Admin → Connections)'}
      </option>
      {name !== '' && !chosen && <option value={name}>{name} (not a known connection)</option>}
      {connections.map((connection) => (
        <option key={`${connection.source}:${connection.name}`} value={connection.name}>
          {connection.name}
          {connection.source === 'environment' ? ' (environment)' : ''}
        </option>
      ))}
    </select>
  );
}
