// `npx cdk synth|deploy`: the Chute stack, checked by cdk-nag's AwsSolutions rules at synth.
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { PipelineStack } from './pipeline-stack.ts';

const app = new App();
const databaseSecretArn = app.node.tryGetContext('databaseSecretArn') as string | undefined;
new PipelineStack(app, 'Chute', {
  ...(databaseSecretArn ? { databaseSecretArn } : {}),
  env: { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION },
});
Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
app.synth();
