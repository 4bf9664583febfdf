import type { StateDataFields } from '../state-definition.ts';
import type { StateEntry } from '../state-progress.ts';
import { JsonBlock } from './json-block.tsx';

type Step = { data: string; text: string | undefined } | { field: string; value: unknown };

const shown = (value: unknown) => (typeof value === 'string' ? value : JSON.stringify(value, null, 2));

/**
 * A state's input and output processing, in the order Step Functions applies it, named as the
 * TestState API's inspection data names each step (State input, After Parameters, Task result,
 * State output: https://docs.aws.amazon.com/step-functions/latest/apireference/API_InspectionData.html,
 * https://docs.aws.amazon.com/step-functions/latest/dg/concepts-input-output-filtering.html).
 * The data comes from the history, which records the state's input, a Task's scheduled
 * parameters and result, and the state's output; each field of the definition that acts between
 * two of them is shown where it acts.
 */
export function IoProcessing(props: { entry: StateEntry; fields: StateDataFields | undefined }) {
  const f = props.fields ?? {};
  const jsonata = f.QueryLanguage === 'JSONata';
  const entry = props.entry;
  const configured = (field: keyof StateDataFields): Step[] =>
    f[field] === undefined ? [] : [{ field, value: f[field] }];
  const steps: Step[] = [
    { data: 'State input', text: entry.input },
    ...configured('InputPath'),
    ...configured(jsonata ? 'Arguments' : 'Parameters'),
    ...(entry.parameters !== undefined
      ? [
          {
            data: jsonata
              ? 'After Arguments'
              : f.Parameters !== undefined
                ? 'After Parameters'
                : 'After InputPath',
            text: entry.parameters,
          },
        ]
      : []),
    ...(entry.result !== undefined ? [{ data: 'Task result', text: entry.result }] : []),
    ...configured('ResultSelector'),
    ...configured('ResultPath'),
    ...configured(jsonata ? 'Output' : 'OutputPath'),
    { data: 'State output', text: entry.output },
  ];
  return (
    <section aria-labelledby="io-heading">
      <h4 id="io-heading">Input and output processing</h4>
      <ol class="io-steps">
        {steps.map((step) =>
          'data' in step ? (
            <li key={step.data}>
              <JsonBlock title={step.data} text={step.text} />
            </li>
          ) : (
            <li key={step.field} class="io-field" aria-label={step.field}>
              ↓ <code>{step.field}</code>: <code>{shown(step.value)}</code>
            </li>
          ),
        )}
      </ol>
    </section>
  );
}
