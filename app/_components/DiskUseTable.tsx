import Link from 'next/link';
import { EmptyState } from './EmptyState';
import { formatBytes } from './format-bytes';

export interface DiskUseRow {
  pipelineId: string;
  pipelineName: string;
  bytes: number;
  files: number;
}

/**
 * Bytes each pipeline's run files take, largest first, with the total. "Outputs" counts artifacts;
 * the bytes include the files recorded beside each (a model's arrays, a dataset's transform spec).
 */
export function DiskUseTable({ rows, totalBytes }: { rows: DiskUseRow[]; totalBytes: number }) {
  if (rows.length === 0) {
    return (
      <EmptyState title="No run files on disk">
        Runs write their datasets and models here; none are kept right now.
      </EmptyState>
    );
  }
  return (
    <table className="data-table disk-use-table">
      <thead>
        <tr>
          <th>Pipeline</th>
          <th className="numeric">Outputs</th>
          <th className="numeric">Disk use</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((row) => (
          <tr key={row.pipelineId}>
            <td>
              <Link href={`/pipelines/${row.pipelineId}`}>{row.pipelineName}</Link>
            </td>
            <td className="numeric">{row.files}</td>
            <td className="numeric">{formatBytes(row.bytes)}</td>
          </tr>
        ))}
      </tbody>
      <tfoot>
        <tr>
          <th>Total</th>
          <td className="numeric">{rows.reduce((sum, row) => sum + row.files, 0)}</td>
          <td className="numeric">{formatBytes(totalBytes)}</td>
        </tr>
      </tfoot>
    </table>
  );
}
