import type { DemoStep } from './demo-process.js';

/**
 * Steps run in order once every demo process is ready. Extension point: append a step (the
 * demo agent's journey A → B → C, a call to the resource server). A step that throws is
 * reported and the processes keep running.
 */
export const AFTER_READY_STEPS: DemoStep[] = [];
