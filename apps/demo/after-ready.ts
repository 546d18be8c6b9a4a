import { agentJourneyStep } from './agent-journey.step.js';
import type { DemoStep } from './demo-process.js';
import { writeManifestStep } from './manifest.step.js';

/**
 * Steps run in order once every demo process is ready: first the federation manifest (so it is
 * there even when a later step fails), then the demo agent's journey A → B → C and its call to
 * the partner API. A step that throws is reported and the processes keep running.
 */
export const AFTER_READY_STEPS: DemoStep[] = [writeManifestStep, agentJourneyStep];
