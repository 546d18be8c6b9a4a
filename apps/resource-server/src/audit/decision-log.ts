import type { DelegationEvent, DelegationEventHook } from '@baton/chain-nest';

/** Where the partner API's decision log goes: one line per call. */
export type DecisionLogWriter = (line: string) => void;

/** The default: standard output, one JSON line per decision (the API's own log stream). */
export const stdoutDecisionLog: DecisionLogWriter = (line) => {
  process.stdout.write(`${line}\n`);
};

/**
 * The `@baton/chain-nest` hook that writes every accepted and refused call as a JSON line
 * `{"type":"delegation.decision", ...}`: route, outcome, the verified chain summary or the
 * refusal code. Never the token or a proof (the event holds neither).
 */
export function decisionLogHook(write: DecisionLogWriter): DelegationEventHook {
  return (event: DelegationEvent) => {
    write(JSON.stringify({ type: 'delegation.decision', ...event }));
  };
}
