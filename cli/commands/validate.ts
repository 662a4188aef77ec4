import { compilePipeline } from '../../pipeline/compile';
import type { SpecLookup } from '../../pipeline/graph-checks';
import { hasErrors } from '../../pipeline/problems';
import { loadDocument } from '../load-document';
import type { Output } from '../output';

/** `pipewright validate FILE`: exit 1 and every problem when the pipeline does not compile. */
export async function validateCommand(file: string, out: Output, specOf: SpecLookup): Promise<number> {
  const document = await loadDocument(file);
  const { problems } = compilePipeline(document, { specOf });
  if (out.json) {
    out.print(JSON.stringify({ valid: !hasErrors(problems), problems }, null, 2));
  } else if (problems.length === 0) {
    out.print(`${file}: valid (${document.nodes.length} nodes)`);
  } else {
    for (const problem of problems) {
      const where = [
        problem.nodeId && `node ${problem.nodeId}`,
        problem.field && `field ${problem.field}`,
        problem.port && `input ${problem.port}`,
        problem.edgeId && `edge ${problem.edgeId}`,
        problem.parameter && `parameter ${problem.parameter}`,
      ]
        .filter(Boolean)
        .join(', ');
      out.print(`${file}: ${problem.severity}: ${problem.message}${where ? ` [${where}]` : ''}`);
    }
  }
  return hasErrors(problems) ? 1 : 0;
}
