// Layer rules (npm run lint): the domain depends on nothing of ours; ports on the domain; the engine on
// domain and ports, never on adapters; adapters on ports and domain; probes on the domain; handlers,
// the CLI, the drill and the CDK app (lib) compose the rest. Each violation names the file and the rule.
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-cycles',
      severity: 'error',
      comment: 'A cycle (type-only ones too) ties two modules into one: move the shared type or function down a layer.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'domain-depends-on-nothing',
      severity: 'error',
      comment: 'lambdas/domain is pure: no other layer of ours, no AWS SDK, no CDK.',
      from: { path: '^lambdas/domain/' },
      to: { path: ['^lambdas/(?!domain/)', '^lib/', '^bin/', '@aws-sdk', 'aws-cdk-lib'] },
    },
    {
      name: 'ports-on-domain-only',
      severity: 'error',
      comment: 'Ports are interfaces in the domain\'s terms.',
      from: { path: '^lambdas/ports/' },
      to: { path: ['^lambdas/(?!(domain|ports)/)', '@aws-sdk', 'aws-cdk-lib'] },
    },
    {
      name: 'engine-never-on-adapters',
      severity: 'error',
      comment: 'The engine acts through ports; adapters are chosen by whoever composes it.',
      from: { path: '^lambdas/engine/' },
      to: { path: ['^lambdas/(adapters|handlers|cli|drill)/', '^lib/', '@aws-sdk', 'aws-cdk-lib'] },
    },
    {
      name: 'adapters-on-ports-and-domain',
      severity: 'error',
      comment: 'Adapters implement ports; they never reach into the engine or the composers.',
      from: { path: '^lambdas/adapters/' },
      to: { path: ['^lambdas/(engine|handlers|cli|drill|probes)/', '^lib/'] },
    },
    {
      name: 'probes-on-domain',
      severity: 'error',
      from: { path: '^lambdas/probes/' },
      to: { path: ['^lambdas/(?!(domain|probes)/)', '^lib/', '@aws-sdk'] },
    },
    {
      name: 'contracts-on-domain-only',
      severity: 'error',
      comment: 'lambdas/contracts holds what the functions, the CLI and the CDK app must agree on (metric names, environment, shard events, the bundled topology file, exit codes): shared by them, depending on none.',
      from: { path: '^lambdas/contracts/' },
      to: { path: ['^lambdas/(?!(domain|contracts)/)', '^lib/', '@aws-sdk', 'aws-cdk-lib'] },
    },
    {
      name: 'lib-not-on-cli-or-handlers',
      severity: 'error',
      comment: 'The CDK app reads shared contracts, not the CLI or the handlers.',
      from: { path: '^lib/' },
      to: { path: ['^lambdas/(cli|handlers|drill)/'] },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    exclude: { path: '^(test|bench|cdk.out)/' },
  },
};
