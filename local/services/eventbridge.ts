import { matchesPattern, type EventPattern } from './event-pattern-match.ts';

export interface Rule {
  name: string;
  pattern: EventPattern;
  target(event: unknown): Promise<void>;
}

/**
 * The local EventBridge bus: rules with patterns and targets. A target that fails is retried
 * (like EventBridge's retry policy) and then reported, never thrown at the event's sender.
 */
export class EventBus {
  readonly #rules = new Map<string, Rule>();
  readonly #failures: { rule: string; event: unknown; error: string }[] = [];
  readonly #onEvent: ((event: unknown) => void) | undefined;

  /** `onEvent` hears every event put on the bus (metering). */
  constructor(options: { onEvent?: (event: unknown) => void } = {}) {
    this.#onEvent = options.onEvent;
  }

  putRule(rule: Rule): void {
    this.#rules.set(rule.name, rule);
  }

  /** Delivers an event to every matching rule; resolves when all targets have been called. */
  async putEvent(event: unknown): Promise<string[]> {
    this.#onEvent?.(event);
    const matched = [...this.#rules.values()].filter((rule) => matchesPattern(rule.pattern, event));
    await Promise.all(
      matched.map(async (rule) => {
        for (let attempt = 0; ; attempt++) {
          try {
            await rule.target(event);
            return;
          } catch (error) {
            if (attempt >= 2) {
              this.#failures.push({ rule: rule.name, event, error: (error as Error).message });
              console.error(`EventBridge rule ${rule.name}: target failed: ${(error as Error).message}`);
              return;
            }
          }
        }
      }),
    );
    return matched.map((rule) => rule.name);
  }

  /** Events whose target kept failing (the rule's dead letters). */
  get failures(): readonly { rule: string; event: unknown; error: string }[] {
    return this.#failures;
  }
}
