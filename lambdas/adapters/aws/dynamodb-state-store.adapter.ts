// StateStorePort over one DynamoDB table (pk = namespace, sk = name): versioned documents written
// with conditions (compare-and-swap), leases as conditional puts, and an audit log, all with TTL.
// A large value is stored gzip-compressed (state-document-codec), transparently for get and list;
// list reuses its last decode of an item that is byte for byte unchanged (listed-values).
import {
  ConditionalCheckFailedException,
  DeleteItemCommand,
  type DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  type AttributeValue,
} from '@aws-sdk/client-dynamodb';
import * as z from 'zod/mini';
import { StateConflictError } from '../../ports/errors';
import type { AuditEntry, StateStorePort, StoredDocument } from '../../ports/state-store.port';
import { errorMessage } from '../../domain/errors';
import { callAws, toCloudCallError } from './cloud-errors';
import { ListedValues } from './listed-values';
import { decodeValue, encodeValue } from './state-document-codec';

const LEASE_NAMESPACE = 'lease';
const AUDIT_NAMESPACE = 'audit';
/** Audit entries are kept this long (the table's TTL deletes them afterwards). */
const AUDIT_RETENTION_SECONDS = 30 * 24 * 3600;

type Item = Record<string, AttributeValue>;

// An audit entry read back is checked like any stored document: what the table holds is not trusted as is.
const auditEntrySchema: z.ZodMiniType<AuditEntry> = z.looseObject({
  id: z.string(),
  at: z.string(),
  checker: z.string(),
  planId: z.optional(z.string()),
  action: z.string(),
  resource: z.string(),
  outcome: z.enum(['applied', 'planned', 'skipped', 'failed']),
  reason: z.string(),
  details: z.optional(z.record(z.string(), z.unknown())),
});

export interface DynamoDbStateStoreOptions {
  readonly client: DynamoDBClient;
  readonly tableName: string;
  /** @default - the system clock */
  readonly now?: () => Date;
}

export class DynamoDbStateStoreAdapter implements StateStorePort {
  private readonly client: DynamoDBClient;
  private readonly table: string;
  private readonly now: () => Date;
  private readonly listed = new ListedValues();

  constructor(options: DynamoDbStateStoreOptions) {
    this.client = options.client;
    this.table = options.tableName;
    this.now = options.now ?? (() => new Date());
  }

  async get(namespace: string, name: string): Promise<StoredDocument<unknown> | undefined> {
    const result = await callAws('DynamoDB', 'GetItem', `${this.table}/${namespace}/${name}`, () =>
      this.client.send(new GetItemCommand({ TableName: this.table, Key: key(namespace, name), ConsistentRead: true })),
    );
    return result.Item && this.live(result.Item)
      ? storedDocumentOf(result.Item, decodeValue(result.Item.value))
      : undefined;
  }

  /** Every live document of the namespace; a value reused from the last Query is frozen (see listed-values). */
  async list(namespace: string): Promise<StoredDocument<unknown>[]> {
    const items = (await this.query(namespace)).filter((i) => this.live(i));
    const values = this.listed.decode(namespace, items);
    return items.map((item, index) => storedDocumentOf(item, values[index]));
  }

  async put<T>(
    namespace: string,
    name: string,
    value: T,
    expectedVersion: number,
    ttlSeconds?: number,
  ): Promise<number> {
    const nowSeconds = this.nowSeconds();
    const version = expectedVersion + 1;
    const item: Item = {
      ...key(namespace, name),
      value: encodeValue(`${namespace}/${name}`, value),
      version: { N: String(version) },
      ...(ttlSeconds !== undefined ? { expiresAt: { N: String(Math.ceil(nowSeconds + ttlSeconds)) } } : {}),
    };
    // An item past its expiry reads as absent, so it may be overwritten as if it were (TTL deletes lazily).
    const isNew = expectedVersion === 0;
    try {
      await this.client.send(
        new PutItemCommand({
          TableName: this.table,
          Item: item,
          ConditionExpression: isNew
            ? 'attribute_not_exists(pk) OR #expiresAt <= :now'
            : '#version = :expected AND (attribute_not_exists(#expiresAt) OR #expiresAt > :now)',
          ExpressionAttributeNames: { '#expiresAt': 'expiresAt', ...(isNew ? {} : { '#version': 'version' }) },
          ExpressionAttributeValues: {
            ':now': { N: String(nowSeconds) },
            ...(isNew ? {} : { ':expected': { N: String(expectedVersion) } }),
          },
        }),
      );
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) {
        throw new StateConflictError(
          `${namespace}/${name} is no longer at version ${expectedVersion}: someone else wrote it first; re-read and retry`,
          { cause: error },
        );
      }
      throw toCloudCallError('DynamoDB', 'PutItem', `${this.table}/${namespace}/${name}`, error);
    }
    return version;
  }

  async acquireLease(name: string, owner: string, ttlMs: number): Promise<boolean> {
    const nowMs = this.now().getTime();
    const expiresAtMs = nowMs + ttlMs;
    try {
      await this.client.send(
        new PutItemCommand({
          TableName: this.table,
          Item: {
            ...key(LEASE_NAMESPACE, name),
            owner: { S: owner },
            expiresAtMs: { N: String(expiresAtMs) },
            expiresAt: { N: String(Math.ceil(expiresAtMs / 1000)) },
          },
          ConditionExpression: 'attribute_not_exists(pk) OR #expiresAtMs < :now OR #owner = :owner',
          ExpressionAttributeNames: { '#expiresAtMs': 'expiresAtMs', '#owner': 'owner' },
          ExpressionAttributeValues: { ':now': { N: String(nowMs) }, ':owner': { S: owner } },
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw toCloudCallError('DynamoDB', 'PutItem', `${this.table}/${LEASE_NAMESPACE}/${name}`, error);
    }
  }

  async releaseLease(name: string, owner: string): Promise<void> {
    try {
      await this.client.send(
        new DeleteItemCommand({
          TableName: this.table,
          Key: key(LEASE_NAMESPACE, name),
          ConditionExpression: '#owner = :owner',
          ExpressionAttributeNames: { '#owner': 'owner' },
          ExpressionAttributeValues: { ':owner': { S: owner } },
        }),
      );
    } catch (error) {
      // Someone else holds it now (ours expired): theirs is not ours to release.
      if (error instanceof ConditionalCheckFailedException) return;
      throw toCloudCallError('DynamoDB', 'DeleteItem', `${this.table}/${LEASE_NAMESPACE}/${name}`, error);
    }
  }

  async appendAudit(entry: AuditEntry): Promise<void> {
    const expiresAt = Math.ceil(Date.parse(entry.at) / 1000) + AUDIT_RETENTION_SECONDS;
    await callAws('DynamoDB', 'PutItem', `${this.table}/${AUDIT_NAMESPACE}/${entry.id}`, () =>
      this.client.send(
        new PutItemCommand({
          TableName: this.table,
          Item: {
            ...key(AUDIT_NAMESPACE, `${entry.at}#${entry.id}`),
            entry: { S: JSON.stringify(entry) },
            expiresAt: { N: String(expiresAt) },
          },
        }),
      ),
    );
  }

  async listAudit(since?: string): Promise<AuditEntry[]> {
    const items = await this.query(AUDIT_NAMESPACE, since);
    return items.filter((i) => this.live(i)).map((i) => this.auditEntry(i));
  }

  /** Every item of a partition (optionally with sk >= from), following LastEvaluatedKey. */
  private async query(namespace: string, from?: string): Promise<Item[]> {
    const items: Item[] = [];
    let startKey: Item | undefined;
    do {
      const page = await callAws('DynamoDB', 'Query', `${this.table}/${namespace}`, () =>
        this.client.send(
          new QueryCommand({
            TableName: this.table,
            KeyConditionExpression: from === undefined ? 'pk = :pk' : 'pk = :pk AND sk >= :from',
            ExpressionAttributeValues: {
              ':pk': { S: namespace },
              ...(from !== undefined ? { ':from': { S: from } } : {}),
            },
            ConsistentRead: true,
            ...(startKey ? { ExclusiveStartKey: startKey } : {}),
          }),
        ),
      );
      items.push(...(page.Items ?? []));
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    return items;
  }

  private nowSeconds(): number {
    return Math.floor(this.now().getTime() / 1000);
  }

  /** TTL deletes items lazily: an item past expiresAt is treated as gone. */
  /** One audit item's entry, checked; a damaged one throws naming the item, never read as an entry. */
  private auditEntry(item: Item): AuditEntry {
    const where = `audit entry ${item.sk?.S ?? '(no sort key)'} in ${this.table}`;
    let json: unknown;
    try {
      json = JSON.parse(item.entry?.S ?? '');
    } catch (cause) {
      throw new Error(`${where} is not JSON (${errorMessage(cause)})`, { cause });
    }
    const parsed = auditEntrySchema.safeParse(json);
    if (!parsed.success)
      throw new Error(
        `${where} is not an audit entry: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
      );
    return parsed.data;
  }

  private live(item: Item): boolean {
    const expiresAt = item.expiresAt?.N;
    return expiresAt === undefined || Number(expiresAt) > this.nowSeconds();
  }
}

function key(namespace: string, name: string): Item {
  return { pk: { S: namespace }, sk: { S: name } };
}

function storedDocumentOf(item: Item, value: unknown): StoredDocument<unknown> {
  return {
    namespace: item.pk?.S ?? '',
    name: item.sk?.S ?? '',
    value,
    version: Number(item.version?.N ?? '0'),
  };
}
