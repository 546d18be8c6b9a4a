/** One kind of record with a retention rule, run periodically by {@link RetentionService}. */
export interface RetentionTask {
  /** Names the task in logs, e.g. `issued_token`. */
  readonly name: string;
  /**
   * Prune (or archive, then delete) what is past retention at `now` (epoch seconds). Work in
   * bounded batches; return how many records were removed.
   */
  prune(now: number): Promise<number>;
}

/**
 * Register a retention task from any module: `{ provide: RETENTION_TASK, useClass: MyTask }`.
 * Every provider registered under this token, in every module, is run (a multi-provider token;
 * one per module, as Nest keeps one provider per token in a module).
 */
export const RETENTION_TASK = Symbol('RETENTION_TASK');
