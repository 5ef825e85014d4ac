// DNS port: read record sets and change them atomically (Route 53 semantics).

/** A record set as Route 53 holds it. Names are lowercase and without the trailing dot. */
export interface RecordSet {
  readonly name: string;
  readonly type: string;
  /** Absent on alias record sets. */
  readonly ttl?: number;
  /** ResourceRecords values; empty on alias record sets. */
  readonly values: readonly string[];
  readonly setIdentifier?: string;
  readonly weight?: number;
  readonly multiValueAnswer?: boolean;
  readonly failover?: 'PRIMARY' | 'SECONDARY';
  readonly healthCheckId?: string;
  readonly aliasTarget?: {
    readonly hostedZoneId: string;
    readonly dnsName: string;
    readonly evaluateTargetHealth: boolean;
  };
}

export interface RecordChange {
  readonly action: 'CREATE' | 'DELETE' | 'UPSERT';
  readonly recordSet: RecordSet;
}

export type ChangeStatus = 'PENDING' | 'INSYNC';

export interface DnsPort {
  /** Every record set of this name and type in the zone (one per set identifier). */
  listRecordSets(zoneId: string, name: string, type: string): Promise<RecordSet[]>;
  /**
   * Applies every change or none. A DELETE must match the stored set exactly: when the record
   * changed since it was read, throws DnsConflictError and changes nothing.
   */
  changeRecordSets(zoneId: string, changes: readonly RecordChange[], comment?: string): Promise<{ changeId: string }>;
  changeStatus(changeId: string): Promise<ChangeStatus>;
}
