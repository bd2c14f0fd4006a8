/**
 * Patches postgres-js 3.4.9 (node_modules/postgres) so that losing the database mid-transaction neither crashes the
 * process nor poisons the pool. Upstream: porsager/postgres#1066, #1154, #1208, #1216 (fixes proposed in PRs #1168,
 * #1176, #1215; none released as of 3.4.9).
 *
 * 1. begin(): when the transaction's connection closes, PostgreSQL has already rolled the transaction back. Stock
 *    postgres-js still sends ROLLBACK (or later queries/COMMIT of the callback) on that connection object — after
 *    its socket is gone (→ 2) or onto the NEXT socket the pool opens for it, ahead of the startup message. Here the
 *    transaction remembers the close and rejects its further queries instead of sending them.
 * 2. nextWrite(): a small write is flushed from setImmediate; when the socket closed in between, `socket.write` on
 *    null threw from the immediate — uncaughtException, the server exits. Guarded; teardown also resets the pending
 *    buffer and timer (stock code cleared the timer without nulling it, so the connection could never flush again).
 *
 * 3. closed(): the dead backend's last FATAL error (e.g. 57P01 "terminating connection due to administrator command")
 *    and its query stayed on the connection object and were delivered to the first query on the NEXT socket.
 *
 * Idempotent; run from `postinstall`. tests/reliability/postgres-restart.test.ts ("a transaction whose connection is
 * cut …") fails when node_modules/postgres is unpatched.
 */
import fs from "node:fs";
import path from "node:path";

const MARK = "/* pinpoint-patch v1 */";
const root = path.resolve(process.cwd(), "node_modules", "postgres");

const edits = {
  "connection.js": [
    [
      "  function nextWrite(fn) {\n    const x = socket.write(chunk, fn)",
      `  function nextWrite(fn) {\n    ${MARK}\n    if (!socket) {\n      nextWriteTimer !== null && clearImmediate(nextWriteTimer)\n      chunk = nextWriteTimer = null\n      return false\n    }\n    const x = socket.write(chunk, fn)`,
      1,
    ],
    [
      "    clearImmediate(nextWriteTimer)\n",
      "    clearImmediate(nextWriteTimer)\n    chunk = nextWriteTimer = null\n",
      2,
    ],
    [
      "    !hadError && (query || sent.length) && error(Errors.connection('CONNECTION_CLOSED', options, socket))\n",
      "    !hadError && (query || sent.length) && error(Errors.connection('CONNECTION_CLOSED', options, socket))\n    query = results = errorResponse = null\n    result = new Result()\n",
      1,
    ],
  ],
  "index.js": [
    ["      , prepare = null\n", `      , prepare = null\n      , closedError = null ${MARK}\n`, 1],
    [
      "        new Promise((_, reject) => connection.onclose = reject)",
      "        new Promise((_, reject) => connection.onclose = e => reject(closedError = e || Errors.connection('CONNECTION_CLOSED', options)))",
      1,
    ],
    ["      } catch (e) {\n        await (name", "      } catch (e) {\n        closedError || await (name", 1],
    [
      "        q.catch(e => uncaughtError || (uncaughtError = e))\n",
      "        q.catch(e => uncaughtError || (uncaughtError = e))\n        if (closedError)\n          return q.reject(closedError)\n",
      1,
    ],
  ],
};

let failed = false;
for (const dir of ["src", "cjs/src"]) {
  for (const [name, list] of Object.entries(edits)) {
    const file = path.join(root, dir, name);
    if (!fs.existsSync(file)) continue;
    let s = fs.readFileSync(file, "utf8");
    if (s.includes(MARK)) continue;
    for (const [from, to, times] of list) {
      const found = s.split(from).length - 1;
      if (found !== times) {
        console.error(
          `patch-postgres-js: ${dir}/${name}: expected ${times}× ${JSON.stringify(from.slice(0, 50))}, found ${found}`,
        );
        failed = true;
      }
      s = s.split(from).join(to);
    }
    if (!failed) fs.writeFileSync(file, s);
  }
}
if (failed) {
  console.error(
    "patch-postgres-js: node_modules/postgres is not the 3.4.9 this patch was written for; nothing written for the failing file(s)",
  );
  process.exitCode = 1;
}
