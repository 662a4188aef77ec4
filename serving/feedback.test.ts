import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { ModelOutput } from '../registry/version-schema';
import type { FeedbackStore } from './contracts';
import { MAX_UNKNOWN_LISTED, receiveFeedback } from './feedback';

/** A store over a map of logged predictions (id → version), keeping what it is asked to store. */
function memoryStore(logged: Map<string, number>, outputs: Map<number, ModelOutput>) {
  const stored: { predictionId: string; label: unknown }[][] = [];
  const store: FeedbackStore = {
    async lookUp(_modelId, ids) {
      return {
        versionOf: new Map(ids.flatMap((id) => (logged.has(id) ? [[id, logged.get(id) ?? 0]] : []))),
        outputs,
      };
    },
    async store({ labels }) {
      stored.push([...labels]);
      return new Set(labels.map((label) => label.predictionId)).size;
    },
  };
  return { store, stored };
}

const classes = new Map<number, ModelOutput>([
  [1, { task: 'classification', labels: ['yes', 'no'] }],
  [2, { task: 'classification', labels: ['yes', 'no', 'maybe'] }],
]);

describe('receiveFeedback', () => {
  it("checks each label against its own prediction's version", async () => {
    const [v1, v2] = [randomUUID(), randomUUID()];
    const { store, stored } = memoryStore(
      new Map([
        [v1, 1],
        [v2, 2],
      ]),
      classes,
    );
    const field = (index: number) => `feedback[${index}].label`;
    const items = [
      { predictionId: v2, label: 'maybe' },
      { predictionId: v1, label: 'maybe' },
    ];
    expect(await receiveFeedback(store, { modelId: 'm', keyId: 'k', items, fieldOf: field })).toEqual({
      ok: false,
      problems: [{ field: 'feedback[1].label', message: 'must be one of "yes", "no"' }],
      more: 0,
    });
    expect(stored).toEqual([]);
    const fixed = [
      { predictionId: v2, label: 'maybe' },
      { predictionId: v1, label: 'no' },
    ];
    expect(await receiveFeedback(store, { modelId: 'm', keyId: 'k', items: fixed, fieldOf: field })).toEqual({
      ok: true,
      accepted: 2,
      unknown: [],
      unknownCount: 0,
    });
  });

  it('lists unknown ids once each, at most MAX_UNKNOWN_LISTED, and counts them all', async () => {
    const known = randomUUID();
    const { store, stored } = memoryStore(new Map([[known, 1]]), classes);
    const unknown = Array.from({ length: MAX_UNKNOWN_LISTED + 5 }, () => randomUUID());
    const items = [
      ...unknown.map((predictionId) => ({ predictionId, label: 'yes' })),
      { predictionId: unknown[0] ?? '', label: 'no' },
      { predictionId: known, label: 'yes' },
    ];
    const outcome = await receiveFeedback(store, { modelId: 'm', keyId: null, items, fieldOf: String });
    expect(outcome).toEqual({
      ok: true,
      accepted: 1,
      unknown: unknown.slice(0, MAX_UNKNOWN_LISTED),
      unknownCount: MAX_UNKNOWN_LISTED + 5,
    });
    expect(stored).toEqual([[{ predictionId: known, label: 'yes' }]]);
  });

  it('asks the store nothing to write when every id is unknown', async () => {
    const { store, stored } = memoryStore(new Map(), classes);
    const id = randomUUID();
    expect(
      await receiveFeedback(store, {
        modelId: 'm',
        keyId: null,
        items: [{ predictionId: id, label: 1 }],
        fieldOf: String,
      }),
    ).toEqual({ ok: true, accepted: 0, unknown: [id], unknownCount: 1 });
    expect(stored).toEqual([]);
  });
});
