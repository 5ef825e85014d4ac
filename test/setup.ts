// Registers aws-sdk-client-mock's matchers (toReceiveCommandWith, …) once for every test file.
import 'aws-sdk-client-mock-vitest/extend';

// The SDK's Node 22 notice (see bin/failover-guard.mjs) would otherwise print once per test file.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
