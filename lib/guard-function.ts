// One guard Lambda function: its own role (no managed policy unless it sits in a VPC), its own
// log group with a retention, and the shared bundling (Node 22, arm64, minified, source maps,
// the topology as a file in the asset).
import { Duration, Fn, Stage, Validations } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { Topology } from '../lambdas/domain/config/schema';
import {
  copyTopologyHooks,
  handlerEntry,
  handlerEsbuildSettings,
  projectRoot,
  stageTopologyFile,
  type HandlerName,
} from './handler-bundling';

/** Where a function runs inside a VPC (ids from the config; nothing is looked up). */
export interface VpcPlacement {
  readonly vpc: ec2.IVpc;
  readonly subnets: ec2.ISubnet[];
  readonly securityGroups: ec2.ISecurityGroup[];
}

export interface GuardFunctionProps {
  readonly handler: HandlerName;
  readonly description: string;
  readonly topology: Topology;
  readonly memorySize: number;
  readonly timeout: Duration;
  readonly environment: Record<string, string>;
  readonly logRetention: logs.RetentionDays;
  /** undefined: no reserved concurrency. */
  readonly reservedConcurrency?: number;
  readonly vpcPlacement?: VpcPlacement;
  /** Failed asynchronous invocations are sent here. */
  readonly deadLetterQueue: sqs.IQueue;
  readonly maxEventAge: Duration;
}

/** Named, not generated: the one dashboard (in the first guard region) queries every region's log groups by name. */
export function guardLogGroupName(topologyName: string, handler: HandlerName): string {
  return `/failover-guard/${topologyName}/${handler}`;
}

export class GuardFunction extends Construct {
  readonly function: nodejs.NodejsFunction;
  readonly role: iam.Role;
  readonly logGroup: logs.LogGroup;

  constructor(scope: Construct, id: string, props: GuardFunctionProps) {
    super(scope, id);
    this.logGroup = new logs.LogGroup(this, 'Logs', {
      logGroupName: guardLogGroupName(props.topology.name, props.handler),
      retention: props.logRetention,
    });
    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `Failover Guard ${props.handler} of ${props.topology.name}`,
    });
    // Instead of AWSLambdaBasicExecutionRole (logs:* on every log group): this function's group only.
    this.logGroup.grantWrite(this.role);
    if (props.vpcPlacement) {
      this.role.addManagedPolicy(
        iam.ManagedPolicy.fromAwsManagedPolicyName('service-role/AWSLambdaVPCAccessExecutionRole'),
      );
      Validations.of(this.role).acknowledge({
        id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole]',
        reason:
          'Lambda needs ec2:CreateNetworkInterface/DescribeNetworkInterfaces/DeleteNetworkInterface to attach to the configured subnets; those EC2 actions take no resource-level scoping, and the AWS-maintained policy grants exactly them.',
      });
    }

    this.function = new nodejs.NodejsFunction(this, 'Function', {
      entry: handlerEntry(props.handler),
      handler: 'handler',
      description: props.description,
      runtime: lambda.Runtime.NODEJS_22_X,
      architecture: lambda.Architecture.ARM_64,
      memorySize: props.memorySize,
      timeout: props.timeout,
      role: this.role,
      logGroup: this.logGroup,
      loggingFormat: lambda.LoggingFormat.JSON,
      // Lambda's own START/END/REPORT lines (INFO) are about half of an idle cycle's log bytes and
      // nothing reads them; its warnings and errors (timeouts, crashes) still reach the log group.
      systemLogLevelV2: lambda.SystemLogLevel.WARN,
      environment: props.environment,
      reservedConcurrentExecutions: props.reservedConcurrency,
      projectRoot,
      depsLockFilePath: `${projectRoot}package-lock.json`,
      bundling: {
        ...handlerEsbuildSettings,
        format: nodejs.OutputFormat.CJS,
        mainFields: [...handlerEsbuildSettings.mainFields],
        sourceMap: handlerEsbuildSettings.sourcemap,
        externalModules: [],
        // The topology goes into the asset as topology.json, staged in the cloud assembly's folder.
        commandHooks: copyTopologyHooks(stageTopologyFile(props.topology, Stage.of(this)!.outdir)),
        forceDockerBundling: false,
        logLevel: nodejs.LogLevel.WARNING,
      },
      retryAttempts: 0,
      maxEventAge: props.maxEventAge,
      onFailure: new SqsDestination(props.deadLetterQueue),
      ...(props.vpcPlacement && {
        vpc: props.vpcPlacement.vpc,
        vpcSubnets: { subnets: props.vpcPlacement.subnets },
        securityGroups: props.vpcPlacement.securityGroups,
        // No public IP is possible for a Lambda ENI; outbound AWS calls need a NAT gateway or VPC endpoints.
        allowPublicSubnet: false,
      }),
    });
    Validations.of(this.function).acknowledge({
      id: 'AwsSolutions-L1',
      reason:
        'Node.js 22 is the runtime the project targets and tests (Lambda Node 22, Node 20 locally); moving to a newer runtime is a deliberate upgrade, not a default.',
    });
  }
}

/** Subnets and security groups from config ids: no context lookups, so synth works offline. */
export function vpcPlacementFromIds(
  scope: Construct,
  ids: { readonly vpcId: string; readonly subnetIds: readonly string[]; readonly securityGroupIds: readonly string[] },
): VpcPlacement {
  // The subnets are named explicitly, so the zones only satisfy the interface: Fn::GetAZs, not a lookup.
  const vpc = ec2.Vpc.fromVpcAttributes(scope, 'GuardVpc', { vpcId: ids.vpcId, availabilityZones: Fn.getAzs() });
  return {
    vpc,
    subnets: ids.subnetIds.map((subnetId) => ec2.Subnet.fromSubnetId(scope, `GuardSubnet-${subnetId}`, subnetId)),
    securityGroups: ids.securityGroupIds.map((sgId) =>
      ec2.SecurityGroup.fromSecurityGroupId(scope, `GuardSg-${sgId}`, sgId),
    ),
  };
}
