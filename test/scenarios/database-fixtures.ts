// Database members for scenario topologies: an RDS endpoint named after the instance and its region.
export const member = (id: string, region: string, identifier: string, promotionPriority?: number) => ({
  id,
  region,
  identifier,
  endpoint: { host: `${identifier}.abc.${region}.rds.amazonaws.com`, port: 5432 },
  ...(promotionPriority !== undefined ? { promotionPriority } : {}),
});
