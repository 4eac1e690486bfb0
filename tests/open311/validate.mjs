// node tests/open311/validate.mjs DIR: validate DIR's discovery, services
// and requests .json against the schemas beside this file, with ajv.
// Prints each error and exits 1 when any file fails.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
const require = createRequire(new URL("../package.json", import.meta.url));
const Ajv = require("ajv");
const addFormats = require("ajv-formats");

const ajv = new Ajv({ allErrors: true, strict: true, allowUnionTypes: true });
addFormats(ajv);
const dir = process.argv[2];
let bad = 0;
for (const name of ["discovery", "services", "requests"]) {
	const schema = JSON.parse(readFileSync(new URL(`${name}.schema.json`, import.meta.url)));
	const data = JSON.parse(readFileSync(`${dir}/${name}.json`, "utf8"));
	const validate = ajv.compile(schema);
	if (!validate(data)) {
		bad = 1;
		for (const e of validate.errors)
			console.log(`${name}.json${e.instancePath}: ${e.message}`);
	} else
		console.log(`${name}.json: valid (${Array.isArray(data) ? data.length : 1})`);
}
process.exit(bad);
