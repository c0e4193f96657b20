import { PGlite } from '@electric-sql/pglite';

/**
 * The embedded database's settings, given at start (postgresqlconf would replace the data
 * directory's postgresql.conf, and with it initdb's timezone and locale settings). PostgreSQL's
 * default shared_buffers (128 MB) is a page cache PGlite allocates and touches whole when it
 * opens, inside the process: 16 MB takes about 110 MB off the idle server, and the only database
 * work on the API's hot path, the request log's flush, costs the same CPU with it
 * (docs/decisions.md, "Idle memory of the embedded default").
 */
export const embeddedStartParams: string[] = [...PGlite.defaultStartParams, '-c', 'shared_buffers=16MB'];
