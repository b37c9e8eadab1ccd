/** Alert bodies for the configured hook: PagerDuty Events v2 or a Slack-style `{ text }` webhook. */
export interface AlertInput {
  kind: 'pagerduty' | 'slack';
  routingKey: string | undefined;
  dedupKey: string;
  summary: string;
  details: Record<string, unknown>;
}

export function alertBody(a: AlertInput): Record<string, unknown> {
  if (a.kind === 'pagerduty') {
    return {
      routing_key: a.routingKey ?? '',
      event_action: 'trigger',
      dedup_key: a.dedupKey,
      payload: {
        summary: a.summary,
        source: 'autocode-edge',
        severity: 'critical',
        custom_details: a.details,
      },
    };
  }
  return { text: `:rotating_light: ${a.summary}`, ...a.details };
}
