// The river practical's models by the names its lessons use, built from the model catalogue.
import { UserError } from '../../errors.js';
import type { Regressor } from '../../ml/types.js';
import { createRegressor, type RegressorName } from '../../ml/catalogue.js';

/** The lesson's models, as catalogue entries with the lesson's settings (a 50-tree forest: the compare stage fits it twenty times). */
export const RIVER_MODELS: Record<string, { name: RegressorName; options: Record<string, number> }> = {
  linear: { name: 'linear', options: {} },
  huber: { name: 'huber', options: {} },
  ransac: { name: 'ransac', options: {} },
  poly: { name: 'poly', options: { degree: 2 } },
  rf: { name: 'rf', options: { trees: 50 } },
};

/** Builds an unfitted single- or multi-feature model from the catalogue. */
export function makeModel(name: string, seed: number): Regressor {
  const model = RIVER_MODELS[name];
  if (!model) throw new UserError(`river: unknown model "${name}"`);
  return createRegressor(model.name, model.options, seed);
}
