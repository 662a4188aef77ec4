'use client';

import { useQuery } from '@tanstack/react-query';
import { useTRPC } from '../../../_trpc/client';
import { TextInput } from './TextInput';
import type { WidgetProps } from './widget-props';

/**
 * A PostgreSQL connection by name: a select of the stored connections and the server's
 * PIPEWRIGHT_CONNECTION_* ones. While the list loads, or if it cannot be read, the name is typed in.
 */
export function ConnectionInput({ field, current, set, control }: WidgetProps) {
  const trpc = useTRPC();
  const list = useQuery(trpc.connections.list.queryOptions());
  const name = typeof current === 'string' ? current : '';
  if (!list.data)
    return <TextInput field={field} current={current} set={set} control={control} placeholder="SALES_DB" />;
  const usable = list.data.filter((connection) => !connection.shadowed);
  const missing =
    name !== '' && !usable.some((connection) => connection.name.toLowerCase() === name.toLowerCase());
  return (
    <select
      {...control}
      className="cf-input cf-select"
      value={usable.find((connection) => connection.name.toLowerCase() === name.toLowerCase())?.name ?? name}
      onChange={(event) => set(event.target.value === '' ? undefined : event.target.value)}
    >
      <option value="">
        {usable.length ? 'Choose a connection…' : 'No connections yet (Admin → Connections)'}
      </option>
      {missing && <option value={name}>{name} (not a known connection)</option>}
      {usable.map((connection) => (
        <option key={`${connection.source}:${connection.name}`} value={connection.name}>
          {connection.name} — {connection.database}@{connection.host}
          {connection.source === 'environment' ? ' (environment)' : ''}
        </option>
      ))}
    </select>
  );
}
