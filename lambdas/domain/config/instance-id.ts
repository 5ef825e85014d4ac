// An EC2 instance id, as a server's instanceId and a target group of target type "instance" name it. Its own
// module, free of zod, so the Lambda bundles that need it do not take the config schema's zod with it.

/** i-0123456789abcdef0 (and the shorter ids of old accounts). */
export const instanceIdPattern = /^i-[0-9a-z]+$/;
