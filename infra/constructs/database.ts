import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as rds from 'aws-cdk-lib/aws-rds';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';

/**
 * Where rows land: an RDS PostgreSQL in isolated subnets with a generated, rotated secret — or an
 * existing database whose secret ARN is given (`-c databaseSecretArn=…`). The VPC has no NAT: the
 * functions reach AWS services through endpoints.
 */
export class Database extends Construct {
  readonly vpc: ec2.Vpc;
  readonly secret: secretsmanager.ISecret;
  readonly securityGroup: ec2.SecurityGroup;

  constructor(scope: Construct, id: string, props: { existingSecretArn?: string }) {
    super(scope, id);
    this.vpc = new ec2.Vpc(this, 'Vpc', {
      natGateways: 0,
      subnetConfiguration: [{ name: 'isolated', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }],
      flowLogs: { all: { trafficType: ec2.FlowLogTrafficType.REJECT } },
    });
    this.vpc.addGatewayEndpoint('DynamoDb', { service: ec2.GatewayVpcEndpointAwsService.DYNAMODB });
    // validate reads the small files of a batch itself (a gateway endpoint costs nothing).
    this.vpc.addGatewayEndpoint('S3', { service: ec2.GatewayVpcEndpointAwsService.S3 });
    for (const [name, service] of [
      ['SecretsManager', ec2.InterfaceVpcEndpointAwsService.SECRETS_MANAGER],
      ['Sns', ec2.InterfaceVpcEndpointAwsService.SNS],
    ] as const) {
      this.vpc.addInterfaceEndpoint(name, { service });
    }
    this.securityGroup = new ec2.SecurityGroup(this, 'Clients', {
      vpc: this.vpc,
      description: 'Chute functions',
      allowAllOutbound: true,
    });

    if (props.existingSecretArn) {
      this.secret = secretsmanager.Secret.fromSecretCompleteArn(this, 'Secret', props.existingSecretArn);
      return;
    }
    const instance = new rds.DatabaseInstance(this, 'Postgres', {
      engine: rds.DatabaseInstanceEngine.postgres({ version: rds.PostgresEngineVersion.VER_16 }),
      instanceType: ec2.InstanceType.of(ec2.InstanceClass.T4G, ec2.InstanceSize.MICRO),
      vpc: this.vpc,
      vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED },
      credentials: rds.Credentials.fromGeneratedSecret('chute'),
      databaseName: 'chute',
      // Not 5432: one obstacle less for a scanner that got into the VPC.
      port: 6543,
      storageEncrypted: true,
      multiAz: true,
      deletionProtection: true,
      backupRetention: Duration.days(7),
      iamAuthentication: true,
      cloudwatchLogsExports: ['postgresql'],
      removalPolicy: RemovalPolicy.SNAPSHOT,
    });
    instance.connections.allowDefaultPortFrom(this.securityGroup, 'Chute functions');
    instance.addRotationSingleUser({ automaticallyAfter: Duration.days(30) });
    this.secret = instance.secret!;
  }
}
