import type { DuckDBValue } from '@duckdb/node-api';
import { numberOf } from '../_data/duck';
import { quoteIdent, quoteIdents } from '../_data/sql';
import type { TableChain } from '../_data/table-chain';
import { NodeInputError } from '../_kit/errors';
import type { QualityRule } from './spec';

export interface RuleResult {
  rule: QualityRule['rule'];
  description: string;
  /** What was measured, e.g. the missing fraction or the number of rows out of range. */
  measured: number;
  passed: boolean;
  action: 'fail' | 'warn';
}

/** Measures every rule on the cleaned data; the caller decides what failing ones mean. */
export async function checkRules(chain: TableChain, rules: QualityRule[]): Promise<RuleResult[]> {
  const results: RuleResult[] = [];
  for (const [index, rule] of rules.entries()) results.push(await checkRule(chain, rule, `rules.${index}`));
  return results;
}

async function checkRule(chain: TableChain, rule: QualityRule, field: string): Promise<RuleResult> {
  const measure = async (sql: string, params: DuckDBValue[] = []) =>
    numberOf((await chain.duck.one(sql, params)).measured);
  const column = 'column' in rule ? requireColumn(chain, rule.column, field) : '';
  switch (rule.rule) {
    case 'max_missing': {
      const measured = await measure(
        `select coalesce(avg(case when ${column} is null then 1.0 else 0.0 end), 0) as measured from ${chain.current}`,
      );
      return {
        rule: rule.rule,
        action: rule.action,
        measured,
        passed: measured <= rule.fraction,
        description: `${rule.column}: at most ${percent(rule.fraction)} missing`,
      };
    }
    case 'min_rows': {
      const measured = await measure(`select count(*) as measured from ${chain.current}`);
      return {
        rule: rule.rule,
        action: rule.action,
        measured,
        passed: measured >= rule.rows,
        description: `at least ${rule.rows} rows`,
      };
    }
    case 'range': {
      if (chain.columns.find((candidate) => candidate.name === rule.column)?.type !== 'numeric')
        throw new NodeInputError(`Rule on column "${rule.column}": a range needs a numeric column`, {
          field,
          column: rule.column,
        });
      // Only the bounds given are bound: a statement refuses parameters it does not use.
      const bounds = [
        ...(rule.min === undefined ? [] : [{ operator: '<', value: rule.min }]),
        ...(rule.max === undefined ? [] : [{ operator: '>', value: rule.max }]),
      ];
      const conditions = bounds.map((bound, index) => `${column} ${bound.operator} $${index + 1}`);
      const measured = conditions.length
        ? await measure(
            `select count(*) as measured from ${chain.current} where ${conditions.join(' or ')}`,
            bounds.map((bound) => bound.value),
          )
        : 0;
      return {
        rule: rule.rule,
        action: rule.action,
        measured,
        passed: measured === 0,
        description: `${rule.column} within [${rule.min ?? '−∞'}, ${rule.max ?? '∞'}] (rows outside)`,
      };
    }
    case 'in_set': {
      const list = rule.values.map((_, index) => `$${index + 1}`).join(', ');
      const measured = await measure(
        `select count(*) as measured from ${chain.current} where ${column} is not null and ${column}::varchar not in (${list})`,
        rule.values.map(String),
      );
      return {
        rule: rule.rule,
        action: rule.action,
        measured,
        passed: measured === 0,
        description: `${rule.column} in {${rule.values.join(', ')}} (rows outside)`,
      };
    }
    case 'unique': {
      for (const name of rule.columns) requireColumn(chain, name, field);
      const measured = await measure(
        `select count(*) - count(distinct (${quoteIdents(rule.columns)})) as measured from ${chain.current}`,
      );
      return {
        rule: rule.rule,
        action: rule.action,
        measured,
        passed: measured === 0,
        description: `${rule.columns.join(', ')} unique (duplicate rows)`,
      };
    }
  }
}

function requireColumn(chain: TableChain, name: string, field: string): string {
  if (!chain.names.includes(name))
    throw new NodeInputError(`Rule on column "${name}": the column is not in the cleaned data`, {
      field,
      column: name,
    });
  return quoteIdent(name);
}

function percent(fraction: number): string {
  return `${Math.round(fraction * 1000) / 10}%`;
}
