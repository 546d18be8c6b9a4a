import { ListenSchema, ValidateSection } from '@baton/config';

/** `metrics:` — the Prometheus endpoint, on its own listener (never the public port). */
export class MetricsSchema {
  @ValidateSection(() => ListenSchema, { required: true })
  listen!: ListenSchema;
}
