import { describe, expect, it } from 'vitest';
import { seededRandom } from '../random';
import { shouldStop, splitValidation } from './validation';

describe('early-stopping validation', () => {
  it('holds out ⌈10%⌉ of the rows, stratified by class, seeded', () => {
    // 70 of class 0, 30 of class 1, 5 of class 2: 11 held out = 7 + 3 + 1 (largest remainder: class 2).
    const y = [...Array(70).fill(0), ...Array(30).fill(1), ...Array(5).fill(2)];
    const split = splitValidation(y, 3, 0.1, seededRandom(1));
    expect(split.validation.length).toBe(11);
    expect(split.train.length).toBe(94);
    const held = Array.from(split.validation, (row) => y[row]);
    expect([0, 1, 2].map((label) => held.filter((value) => value === label).length)).toEqual([7, 3, 1]);
    // Every row exactly once, both lists increasing.
    expect([...split.train, ...split.validation].sort((a, b) => a - b)).toEqual(y.map((_, row) => row));
    expect(Array.from(split.train)).toEqual([...split.train].sort((a, b) => a - b));
    expect(splitValidation(y, 3, 0.1, seededRandom(1))).toEqual(split);
    expect(splitValidation(y, 3, 0.1, seededRandom(2)).validation).not.toEqual(split.validation);
  });

  it('draws regression rows without strata and always leaves a training row', () => {
    const y = Array.from({ length: 25 }, (_, i) => i / 3);
    expect(splitValidation(y, 0, 0.1, seededRandom(3)).validation.length).toBe(3);
    expect(splitValidation([1, 2], 0, 0.9, seededRandom(3)).train.length).toBe(1);
  });

  it("stops as scikit-learn's _should_stop: no loss in the last n beats the one before them by tol", () => {
    const improving = [1, 0.9, 0.8, 0.7, 0.6];
    expect(shouldStop(improving, 3, 1e-7)).toBe(false);
    expect(shouldStop([1, 0.9], 3, 1e-7)).toBe(false); // too short to judge
    expect(shouldStop([1, 0.9, 0.95, 0.93, 0.91], 3, 1e-7)).toBe(true); // none below 0.9
    expect(shouldStop([1, 0.9, 0.95, 0.93, 0.89], 3, 1e-7)).toBe(false); // the last one is
    expect(shouldStop([1, 0.9, 0.95, 0.93, 0.89], 3, 0.05)).toBe(true); // but not by 0.05
  });
});
