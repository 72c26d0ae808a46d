/**
 * The worker thread of SqliteCountThread (count-thread.ts): runs full-text counts on a read-only
 * connection of its own to the server's SQLite file.
 */
import Database from 'better-sqlite3';
import { tuneSqliteConnection } from '../../db/sqlite-pragmas';
import { answerRequests } from '../shared';
import type { CountRequest } from './count-thread';

/** Statement texts kept prepared: a count's text varies with the number of posts hidden, little else. */
const KEPT_STATEMENTS = 64;

let connection: Database.Database | null = null;
const statements = new Map<string, Database.Statement>();

function open(file: string): Database.Database {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  tuneSqliteConnection(db);
  return db;
}

function prepared(db: Database.Database, sql: string): Database.Statement {
  let statement = statements.get(sql);
  if (!statement) {
    if (statements.size >= KEPT_STATEMENTS) statements.delete(statements.keys().next().value!);
    statement = db.prepare(sql).pluck();
    statements.set(sql, statement);
  }
  return statement;
}

answerRequests((request: CountRequest) => {
  if (request.kind === 'close') {
    statements.clear();
    connection?.close();
    connection = null;
    return { reply: 0 };
  }
  if (!connection) {
    try {
      connection = open(request.file);
    } catch {
      // Of no use without a connection of its own: the thread ends (here process.exit ends the
      // thread only), and the server counts on its own connection (SqliteCountThread.available).
      process.exit(1);
    }
  }
  return { reply: Number(prepared(connection, request.sql).get(...request.params)) };
});
