// Run one SQL file in DuckDB (@duckdb/node-api) and print its result as CSV.
// usage: node duckdb.mjs FILE.sql [NAME=VALUE...]   (${NAME} in the file
// is replaced by VALUE).  DuckDB uses every core (threads = nproc).
import { readFileSync } from 'node:fs';
import { DuckDBInstance } from '@duckdb/node-api';

const [file, ...pairs] = process.argv.slice(2);
let sql = readFileSync(file, 'utf8');
for (const p of pairs) {
	const i = p.indexOf('=');
	sql = sql.split('${' + p.slice(0, i) + '}').join(p.slice(i + 1));
}
const left = sql.match(/\$\{[A-Z_0-9]+\}/);
if (left) {
	console.error(`duckdb.mjs: ${file}: no value for ${left[0]}`);
	process.exit(64);
}
const cell = (v) => {
	if (v === null || v === undefined) return '';
	const s = String(v);
	return /[",\n\r]/.test(s) ? '"' + s.replace(/"/g, '""') + '"' : s;
};
const db = await DuckDBInstance.create(':memory:');
const conn = await db.connect();
const res = await conn.runAndReadAll(sql);
const out = [res.columnNames().map(cell).join(',')];
for (const row of res.getRowsJS())
	out.push(row.map(cell).join(','));
process.stdout.write(out.join('\n') + '\n');
