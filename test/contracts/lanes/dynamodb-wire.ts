// DynamoDB as it answers on the wire, for the aws-sdk-client-mock lane: one table (pk, sk) in SDK
// attribute shapes, GetItem, PutItem and DeleteItem with condition expressions evaluated as DynamoDB
// evaluates them (a failed condition is ConditionalCheckFailedException), and Query by partition with
// an optional `sk >=` bound, paged with LastEvaluatedKey. No TTL sweeper: like DynamoDB's lazy TTL,
// expired items stay readable until deleted.
import {
  type AttributeValue,
  ConditionalCheckFailedException,
  DeleteItemCommand,
  DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  ResourceNotFoundException,
} from '@aws-sdk/client-dynamodb';
import { type AwsClientStub, mockClient } from 'aws-sdk-client-mock';

type Item = Record<string, AttributeValue>;
type Names = Record<string, string> | undefined;
type Values = Record<string, AttributeValue> | undefined;

const META = { httpStatusCode: 400, requestId: 'wire-model' };
/** Items per Query page, standing in for DynamoDB's 1 MB page so that paging is exercised. */
const QUERY_PAGE_ITEMS = 25;

const itemKey = (key: Item) => `${key.pk?.S}\u0000${key.sk?.S}`;

/** A condition or key expression: comparisons, attribute_exists / attribute_not_exists, AND, OR, NOT, parentheses. */
function evaluate(expression: string, item: Item | undefined, names: Names, values: Values): boolean {
  const tokens = expression.match(/\(|\)|<>|<=|>=|=|<|>|,|[#:]?[A-Za-z_][A-Za-z0-9_]*/g) ?? [];
  let at = 0;
  const peek = () => tokens[at];
  const take = (expected?: string) => {
    const token = tokens[at++];
    if (token === undefined || (expected !== undefined && token !== expected))
      throw new Error(`bad expression ${expression}`);
    return token;
  };
  const attribute = (token: string) => item?.[token.startsWith('#') ? (names?.[token] ?? '') : token];
  const operand = (token: string) => (token.startsWith(':') ? values?.[token] : attribute(token));
  const compare = (a: AttributeValue | undefined, op: string, b: AttributeValue | undefined): boolean => {
    if (a === undefined || b === undefined) return op === '<>' && (a === undefined) !== (b === undefined);
    const [x, y] = a.N !== undefined && b.N !== undefined ? [Number(a.N), Number(b.N)] : [a.S ?? '', b.S ?? ''];
    if (a.N === undefined && a.S === undefined) return false;
    return { '=': x === y, '<>': x !== y, '<': x < y, '<=': x <= y, '>': x > y, '>=': x >= y }[op] ?? false;
  };
  const primary = (): boolean => {
    const token = take();
    if (token === '(') {
      const inner = or();
      take(')');
      return inner;
    }
    if (token === 'NOT') return !primary();
    if (token === 'attribute_exists' || token === 'attribute_not_exists') {
      take('(');
      const exists = attribute(take()) !== undefined;
      take(')');
      return token === 'attribute_exists' ? exists : !exists;
    }
    const op = take();
    return compare(operand(token), op, operand(take()));
  };
  const and = (): boolean => {
    let result = primary();
    while (peek() === 'AND') {
      take();
      result = primary() && result;
    }
    return result;
  };
  const or = (): boolean => {
    let result = and();
    while (peek() === 'OR') {
      take();
      result = and() || result;
    }
    return result;
  };
  const result = or();
  if (at !== tokens.length) throw new Error(`bad expression ${expression}`);
  return result;
}

export class DynamoDbWireModel {
  /** A client of its own (the stub is per instance, so other lanes' clients stay real). */
  readonly client = new DynamoDBClient({ region: 'eu-west-1' });
  readonly stub: AwsClientStub<DynamoDBClient>;
  private readonly items = new Map<string, Item>();

  constructor(readonly tableName: string) {
    this.stub = mockClient(this.client);
    this.stub.on(GetItemCommand).callsFake((input: { TableName: string; Key: Item }) => {
      this.table(input.TableName);
      const item = this.items.get(itemKey(input.Key));
      return item ? { Item: structuredClone(item) } : {};
    });
    this.stub
      .on(PutItemCommand)
      .callsFake(
        (input: {
          TableName: string;
          Item: Item;
          ConditionExpression?: string;
          ExpressionAttributeNames?: Names;
          ExpressionAttributeValues?: Values;
        }) => {
          this.check(input.TableName, input.Item, input);
          this.items.set(itemKey(input.Item), structuredClone(input.Item));
          return {};
        },
      );
    this.stub
      .on(DeleteItemCommand)
      .callsFake(
        (input: {
          TableName: string;
          Key: Item;
          ConditionExpression?: string;
          ExpressionAttributeNames?: Names;
          ExpressionAttributeValues?: Values;
        }) => {
          this.check(input.TableName, input.Key, input);
          this.items.delete(itemKey(input.Key));
          return {};
        },
      );
    this.stub
      .on(QueryCommand)
      .callsFake(
        (input: {
          TableName: string;
          KeyConditionExpression: string;
          ExpressionAttributeValues: Values;
          ExclusiveStartKey?: Item;
        }) => {
          this.table(input.TableName);
          const matching = [...this.items.values()]
            .filter((item) => evaluate(input.KeyConditionExpression, item, undefined, input.ExpressionAttributeValues))
            .sort((a, b) => (a.sk?.S ?? '').localeCompare(b.sk?.S ?? ''));
          const after = input.ExclusiveStartKey?.sk?.S;
          const rest = after === undefined ? matching : matching.filter((item) => (item.sk?.S ?? '') > after);
          const page = rest.slice(0, QUERY_PAGE_ITEMS);
          const last = page[page.length - 1];
          return {
            Items: page.map((i) => structuredClone(i)),
            Count: page.length,
            ...(rest.length > page.length && last ? { LastEvaluatedKey: { pk: last.pk!, sk: last.sk! } } : {}),
          };
        },
      );
  }

  private table(name: string): void {
    if (name !== this.tableName)
      throw new ResourceNotFoundException({ message: 'Requested resource not found', $metadata: META });
  }

  private check(
    table: string,
    key: Item,
    input: { ConditionExpression?: string; ExpressionAttributeNames?: Names; ExpressionAttributeValues?: Values },
  ): void {
    this.table(table);
    if (input.ConditionExpression === undefined) return;
    const stored = this.items.get(itemKey(key));
    if (!evaluate(input.ConditionExpression, stored, input.ExpressionAttributeNames, input.ExpressionAttributeValues)) {
      throw new ConditionalCheckFailedException({ message: 'The conditional request failed', $metadata: META });
    }
  }
}
