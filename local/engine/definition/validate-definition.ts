import { DiagnosticCodes, error, schemaError, type Diagnostic } from './diagnostic.ts';
import { checkJsonataExpressions, checkPayloadTemplate, checkVariableNames } from './expression-checks.ts';
import { diagnosticsOf } from './schema-diagnostics.ts';
import { definitionSchema, stateSchemas } from './state-schemas.ts';
import { checkNextOrEnd, checkTransitions } from './transition-checks.ts';
import type { QueryLanguage, StateMachineType, StateType } from './types.ts';

type Fields = Record<string, unknown>;

const isObject = (value: unknown): value is Fields =>
  value !== null && typeof value === 'object' && !Array.isArray(value);

const stateTypes = Object.keys(stateSchemas.JSONPath);

/**
 * A state's language: its own `QueryLanguage`, else the state machine's — not the enclosing
 * Map's or Parallel's. Only the exact string "JSONPath" is JSONPath; any other value is JSONata
 * (and refused by the enum check). Both measured on AWS: https://github.com/floci-io/floci/issues/2968
 */
const languageOf = (declared: unknown, machine: QueryLanguage): QueryLanguage =>
  declared === undefined ? machine : declared === 'JSONPath' ? 'JSONPath' : 'JSONata';

/** A Map Run label: at most 40 characters, none of these. https://docs.aws.amazon.com/step-functions/latest/dg/state-map-distributed.html */
const labelForbidden = /[\s<>{}[\]?*"#%\\^|~`$&,;:/\p{Cc}]/u;

/** Walks a definition once, state by state, collecting every problem (nothing throws). */
class DefinitionWalker {
  readonly found: Diagnostic[] = [];
  readonly #names = new Set<string>();
  readonly #labels = new Set<string>();
  readonly #language: QueryLanguage;
  readonly #type: StateMachineType;

  constructor(language: QueryLanguage, type: StateMachineType) {
    this.#language = language;
    this.#type = type;
  }

  machine(machine: Fields, at: string, topLevel: boolean): void {
    if (!isObject(machine.States)) return;
    const states = machine.States;
    for (const [name, state] of Object.entries(states)) this.state(name, state, `${at}/States/${name}`);
    // Without a StartAt there is no graph to check; AWS reports the missing field alone.
    if (typeof machine.StartAt === 'string') {
      checkTransitions({ StartAt: machine.StartAt, States: states }, at, topLevel, this.found);
    }
  }

  state(name: string, state: unknown, at: string): void {
    const found = this.found;
    if ([...name].length > 80) {
      found.push(
        error(DiagnosticCodes.InvalidStateName, `State name '${name}' is longer than 80 characters`, at),
      );
    }
    if (this.#names.has(name))
      found.push(error(DiagnosticCodes.DuplicateStateName, `Duplicate State name: ${name}`, at));
    this.#names.add(name);
    if (!isObject(state)) {
      found.push(schemaError('Expected value of type [OBJECT]', at));
      return;
    }
    if (state.Type === undefined) {
      found.push(schemaError('These fields are required: [Type]', at));
      return;
    }
    if (!stateTypes.includes(state.Type as string)) {
      found.push(
        schemaError(`Value should be one of the following: [${stateTypes.join(', ')}]`, `${at}/Type`),
      );
      return;
    }
    const type = state.Type as StateType;
    const language = languageOf(state.QueryLanguage, this.#language);
    if (this.#language === 'JSONata' && state.QueryLanguage === 'JSONPath') {
      found.push(
        schemaError("'QueryLanguage' can not be 'JSONPath' if set to 'JSONata' for whole state machine", at),
      );
    } else {
      const parsed = stateSchemas[language][type].safeParse(state, { reportInput: true });
      if (!parsed.success) found.push(...diagnosticsOf(parsed.error.issues, at, language));
    }
    checkNextOrEnd(state, at, found);
    // AWS's words, trailing space included (recorded on AWS: localstack's test_sfn_api_validation.snapshot.json).
    if (this.#type === 'EXPRESS' && type === 'Task' && String(state.Resource).endsWith('.waitForTaskToken')) {
      found.push(
        schemaError(
          "Express state machine does not support '.waitForTaskToken' service integration ",
          `${at}/Resource`,
        ),
      );
    }
    this.expressions(state, at, language);
    if (type === 'Map') this.map(state, at);
    if (type === 'Parallel' && Array.isArray(state.Branches)) {
      state.Branches.forEach((branch, i) => {
        if (isObject(branch)) this.machine(branch, `${at}/Branches[${i}]`, false);
      });
    }
  }

  /** Paths and intrinsics in JSONPath payloads, JSONata syntax, variable names. */
  expressions(state: Fields, at: string, language: QueryLanguage): void {
    const nested = (field: string): Fields => (isObject(state[field]) ? state[field] : {});
    const entries = (field: string): Fields[] =>
      Array.isArray(state[field]) ? state[field].filter(isObject) : [];
    const assigns: [unknown, string][] = [
      [state.Assign, `${at}/Assign`],
      ...entries('Catch').map((c, i): [unknown, string] => [c.Assign, `${at}/Catch[${i}]/Assign`]),
      ...entries('Choices').map((c, i): [unknown, string] => [c.Assign, `${at}/Choices[${i}]/Assign`]),
    ];
    for (const [assign, where] of assigns) checkVariableNames(assign, where, this.found);
    if (language === 'JSONata') {
      checkJsonataExpressions(state, at, this.found);
      return;
    }
    const templates: [unknown, string][] = [
      ...['Parameters', 'ResultSelector', 'ItemSelector'].map((f): [unknown, string] => [
        state[f],
        `${at}/${f}`,
      ]),
      [nested('ItemReader').Parameters, `${at}/ItemReader/Parameters`],
      [nested('ResultWriter').Parameters, `${at}/ResultWriter/Parameters`],
      [nested('ItemBatcher').BatchInput, `${at}/ItemBatcher/BatchInput`],
      ...assigns,
    ];
    for (const [template, where] of templates) checkPayloadTemplate(template, where, this.found);
  }

  map(state: Fields, at: string): void {
    const label = state.Label;
    if (typeof label === 'string') {
      if ([...label].length > 40 || labelForbidden.test(label)) {
        this.found.push(
          error(DiagnosticCodes.InvalidLabelName, `Invalid label name: ${label}`, `${at}/Label`),
        );
      }
      if (this.#labels.has(label)) {
        this.found.push(
          error(DiagnosticCodes.DuplicateLabelName, `Duplicate label name: ${label}`, `${at}/Label`),
        );
      }
      this.#labels.add(label);
    }
    const field = state.ItemProcessor !== undefined ? 'ItemProcessor' : 'Iterator';
    if (isObject(state[field])) this.machine(state[field], `${at}/${field}`, false);
  }
}

/**
 * Validates a parsed definition as CreateStateMachine does and answers every problem found, in
 * AWS's codes and words. Each state is visited once, so the time is linear in the definition.
 */
export function validateDefinition(definition: unknown, type: StateMachineType = 'STANDARD'): Diagnostic[] {
  if (!isObject(definition)) return [schemaError('Definition must be a valid JSON object')];
  const parsed = definitionSchema.safeParse(definition, { reportInput: true });
  const language = languageOf(definition.QueryLanguage, 'JSONPath');
  const found = parsed.success ? [] : diagnosticsOf(parsed.error.issues, '', language);
  const walker = new DefinitionWalker(language, type);
  walker.machine(definition, '', true);
  return [...found, ...walker.found];
}
