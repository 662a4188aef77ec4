/** The model page's tabs, in order; plain data, so the server page can read ?tab= against it. */
export const MODEL_TABS = ['overview', 'monitoring', 'compare', 'rollout'] as const;
export type ModelTab = (typeof MODEL_TABS)[number];
