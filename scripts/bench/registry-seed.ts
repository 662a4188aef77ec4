import type { Sql } from '../../db/client';

/** The registry benchmark's data: many models of many versions, as a busy installation has them. */

/** Words of the seeded names and descriptions: each a tenth of the models, so text searches find ~100. */
const words = ['churn', 'fraud', 'price', 'demand', 'risk', 'credit', 'spam', 'lead', 'sales', 'ads'];

/** The seed, in set-based statements so 100,000 versions take seconds, not minutes. */
export async function seedRegistry(sql: Sql, modelCount: number, versionCount: number): Promise<void> {
  await sql`
    insert into registered_models (name, description, updated_at)
    select (string_to_array(${words.join(',')}, ','))[1 + i % 10] || '-' || lpad(i::text, 4, '0'),
      'Predicts ' || (string_to_array(${words.join(',')}, ','))[1 + (i / 10) % 10] || ' for team ' || (i % 17),
      now() - make_interval(secs => i)
    from generate_series(1, ${modelCount}) as i`;
  await sql`
    insert into model_tags (model_id, tag)
    select id, tag from (
      select id, row_number() over (order by name) as n from registered_models
    ) m, lateral (values ('team-' || (n % 17)), ('tier-' || (n % 3))) as t(tag)`;
  // A 30-column signature and reference, about the size a real breast-cancer version carries.
  await sql`
    insert into model_versions (model_id, version, task, algorithm, signature, labels, metrics, gates,
      parameters, transforms, reference, reference_rows, onnx_sha256, onnx_bytes, created_at)
    select m.id, v, 'classification', 'gradient_boosting',
      jsonb_build_object(
        'inputs', (select jsonb_agg(jsonb_build_object('name', 'feature ' || c, 'type', 'number',
          'unknownCategories', 'accept', 'nullable', false)) from generate_series(1, 30) c),
        'output', jsonb_build_object('task', 'classification', 'labels', jsonb_build_array('0', '1'))),
      '["0", "1"]'::jsonb,
      jsonb_build_object('accuracy', 0.9 + random() / 20, 'f1', 0.9 + random() / 20,
        'roc_auc', 0.95 + random() / 25, 'precision', 0.9, 'recall', 0.9, 'log_loss', 0.1),
      '[]'::jsonb,
      jsonb_build_object('max_iter', 100, 'learning_rate', 0.1),
      '{"version": 1, "steps": []}'::jsonb,
      (select jsonb_object_agg('feature ' || c, jsonb_build_object('kind', 'number', 'missingRate', 0,
        'deciles', (select jsonb_agg(d * c) from generate_series(0, 10) d))) from generate_series(1, 30) c),
      455, repeat('0', 64), 120000, now() - make_interval(mins => ${versionCount} - v)
    from registered_models m, generate_series(1, ${versionCount}) as v`;
  // Production on 9 models in 10 (its latest version but one), staging on 1 in 3 (its latest).
  await sql`
    insert into model_aliases (model_id, alias, version_id)
    select m.id, 'production', v.id
    from (select id, row_number() over (order by name) as n from registered_models) m
      join model_versions v on v.model_id = m.id and v.version = ${Math.max(1, versionCount - 1)}
    where m.n % 10 <> 0`;
  await sql`
    insert into model_aliases (model_id, alias, version_id)
    select m.id, 'staging', v.id
    from (select id, row_number() over (order by name) as n from registered_models) m
      join model_versions v on v.model_id = m.id and v.version = ${versionCount}
    where m.n % 3 = 0`;
  // As autovacuum would have by now: statistics, and the visibility map index-only scans rely on.
  await sql`vacuum analyze`;
}
