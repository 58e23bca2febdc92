// wasm-size.mjs says what takes the space in a Go js/wasm binary: its
// sections, and its code per Go package (from the names the Go linker
// writes in the "name" section, so build without -s):
//
//	GOOS=js GOARCH=wasm go build -trimpath -o /tmp/wallet.wasm ./cmd/wallet-wasm
//	node scripts/wasm-size.mjs /tmp/wallet.wasm [PACKAGE] [TOP] [DEPTH]
//
// PACKAGE is the main package the binary was built from (default
// ./cmd/wallet-wasm): `go list -deps` of it for js/wasm names the packages
// that the linker's mangled function names belong to. TOP is how many
// packages to list (default 40); DEPTH cuts package paths to that many
// elements (github.com/tetratelabs/wazero/internal: 4) to add up a
// dependency's packages. The brotli column compresses each package's
// function bodies on their own: an indication only. Data (type
// descriptors, tables, the runtime's function tables) has no names in a
// wasm binary; the true cost of a dependency is the difference between two
// builds with and without it (docs/benchmarks.md, "wallet.wasm size").
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import zlib from "node:zlib";

const [file, main = "./cmd/wallet-wasm", top = "40", depth = "99"] = process.argv.slice(2);
if (!file) {
	console.error("usage: node scripts/wasm-size.mjs FILE.wasm [PACKAGE] [TOP] [DEPTH]");
	process.exit(2);
}
const buf = fs.readFileSync(file);
const brotli = (b) => zlib.brotliCompressSync(b, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11 } }).length;
const mb = (n) => (n / 1e6).toFixed(3).padStart(7);

let pos = 8; // after the magic number and version
function uleb() {
	let r = 0, shift = 0, b;
	do {
		b = buf[pos++];
		r += (b & 0x7f) * 2 ** shift;
		shift += 7;
	} while (b & 0x80);
	return r;
}
function skipLimits() {
	const flags = buf[pos++];
	uleb();
	if (flags & 1) uleb();
}

const sections = [], bodies = [], names = new Map();
let imported = 0; // imported functions come first in the function index space
while (pos < buf.length) {
	const id = buf[pos++], size = uleb(), end = pos + size;
	let label = ["custom", "type", "import", "function", "table", "memory", "global", "export", "start", "element", "code", "data"][id] ?? `section ${id}`;
	if (id === 0) {
		const n = uleb();
		label = "custom " + buf.subarray(pos, pos + n).toString();
		pos += n;
		if (label === "custom name") readNames(end);
	} else if (id === 2) {
		for (let n = uleb(); n > 0; n--) {
			pos += uleb(); // module
			pos += uleb(); // field
			const kind = buf[pos++];
			if (kind === 0) { uleb(); imported++; }
			else if (kind === 1) { pos++; skipLimits(); }
			else if (kind === 2) skipLimits();
			else if (kind === 3) pos += 2;
		}
	} else if (id === 10) {
		for (let n = uleb(); n > 0; n--) {
			const len = uleb();
			bodies.push(buf.subarray(pos, pos + len));
			pos += len;
		}
	}
	sections.push({ label, start: end - size, size });
	pos = end;
}

function readNames(end) {
	while (pos < end) {
		const sub = buf[pos++], len = uleb(), subEnd = pos + len;
		if (sub === 1) { // function names
			for (let n = uleb(); n > 0; n--) {
				const index = uleb(), l = uleb();
				names.set(index, buf.subarray(pos, pos + l).toString());
				pos += l;
			}
		}
		pos = subEnd;
	}
}

// mangled maps package paths as the linker writes them in function names
// (every character but letters, digits, "_" and "." becomes "_") to the
// paths themselves.
const mangled = new Map();
const deps = execFileSync("go", ["list", "-deps", main], { env: { ...process.env, GOOS: "js", GOARCH: "wasm" } });
const paths = deps.toString().trim().split("\n");
for (const path of paths) mangled.set(path.replace(/[^\w.]/g, "_"), path);
mangled.set("main", paths.at(-1)); // the main package's functions are main.*

// pkgOf returns the package of a function name such as
// "github.com_tetratelabs_wazero_internal_wasm.__Store_.Instantiate": the
// longest known package before one of its dots.
function pkgOf(name) {
	if (name.startsWith("type_.")) return "(compiler-generated: type equality and hashing)";
	let pkg = "(other: assembly, wrappers)";
	for (let dot = name.indexOf("."); dot >= 0; dot = name.indexOf(".", dot + 1)) {
		pkg = mangled.get(name.slice(0, dot)) ?? pkg;
	}
	return pkg.startsWith("(") ? pkg : pkg.split("/").slice(0, Number(depth)).join("/");
}

console.log(`${file}: ${mb(buf.length)} MB raw, ${mb(brotli(buf))} MB brotli`);
console.log("\nsections over 10 kB          raw MB   brotli MB");
for (const s of sections.filter((s) => s.size > 10_000)) {
	console.log(`  ${s.label.padEnd(26)} ${mb(s.size)}   ${mb(brotli(buf.subarray(s.start, s.start + s.size)))}`);
}
if (names.size === 0) {
	console.log("\nno function names: build without -ldflags=-s to see the code per package");
	process.exit(0);
}
const pkgs = new Map();
bodies.forEach((body, i) => {
	const p = pkgOf(names.get(i + imported) ?? "?");
	const entry = pkgs.get(p) ?? { size: 0, bodies: [] };
	entry.size += body.length;
	entry.bodies.push(body);
	pkgs.set(p, entry);
});
const rows = [...pkgs].sort((a, b) => b[1].size - a[1].size);
console.log(`\ncode of ${bodies.length} functions in ${rows.length} packages; the ${top} biggest:`);
console.log("   raw MB   brotli MB  package");
for (const [p, { size, bodies: b }] of rows.slice(0, Number(top))) {
	console.log(`  ${mb(size)}   ${mb(brotli(Buffer.concat(b)))}   ${p}`);
}
