// Every fenced block of README.md and pkg/README.md: JS blocks run in Node against the packed
// package (the scratch project), each after its prelude (lib/readme-preludes.mjs, keyed by the
// `<!-- snippet: NAME -->` marker beside the block) and followed by assertions on what it
// produced; TS blocks are type-checked with the repository's tsc in strict mode against the
// installed declarations. A browser-only block is marked `excerpt-of PATH`: its lines must be
// those of a page another test builds and runs. A block in another language must be marked
// `not-run (REASON)`; an unmarked block, a JS/TS block marked not-run, an unknown or unused
// prelude all fail.
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { promisify } from "node:util";
import { preludes } from "./lib/readme-preludes.mjs";
import { codeBlocks, RUNNABLE } from "./lib/readme-snippets.mjs";
import { bin, jsDir, packedTarball, root, scratch } from "./lib/scratch.mjs";

const run = promisify(execFile);
packedTarball(); // the scratch project `make pack` installed, or a clear error

const files = ["README.md", "pkg/README.md"];
const blocks = files.flatMap((file) =>
  codeBlocks(readFileSync(join(root, file), "utf8")).map((b) => ({ ...b, where: `${file}:${b.line}` })),
);
const work = join(scratch, "readme");
rmSync(work, { recursive: true, force: true });

test("every block is marked: runnable ones name a prelude, the others say why they are not run", () => {
  assert.ok(blocks.length >= 10, `only ${blocks.length} blocks found`);
  for (const b of blocks) {
    if (RUNNABLE.has(b.lang)) {
      assert.equal(b.notRun, null, `${b.where}: a ${b.lang} block is run, never marked not-run`);
      if (b.excerptOf) continue;
      assert.ok(b.name, `${b.where}: a ${b.lang} block without a <!-- snippet: NAME --> marker`);
      assert.ok(Object.hasOwn(preludes, b.name), `${b.where}: no prelude "${b.name}"`);
    } else {
      assert.ok(b.notRun, `${b.where}: a "${b.lang}" block cannot be run: mark it <!-- snippet: not-run (why) -->`);
    }
  }
  const names = blocks.filter((b) => b.name).map((b) => b.name);
  assert.deepEqual([...new Set(names)].sort(), [...names].sort(), "each prelude serves one block");
  assert.deepEqual(Object.keys(preludes).sort(), [...names].sort(), "every prelude has its block");
});

for (const b of blocks.filter((x) => x.excerptOf)) {
  test(`${b.where} is an excerpt of ${b.excerptOf}, which a test runs`, () => {
    const source = readFileSync(join(root, b.excerptOf), "utf8").split("\n");
    let at = 0;
    for (const line of b.code.split("\n").filter((l) => l.trim() !== "")) {
      const found = source.indexOf(line, at);
      assert.ok(found >= 0, `${b.where}: "${line}" is not a line of ${b.excerptOf} (after line ${at})`);
      at = found + 1;
    }
    const folder = b.excerptOf.split("/").slice(-2, -1)[0];
    const runners = readdirSync(jsDir).filter(
      (f) => f.endsWith(".test.mjs") && readFileSync(join(jsDir, f), "utf8").includes(`"${folder}"`),
    );
    assert.ok(runners.length >= 1, `no test builds ${folder}/`);
  });
}

for (const b of blocks.filter((x) => RUNNABLE.has(x.lang) && x.name && Object.hasOwn(preludes, x.name))) {
  const ts = b.lang.endsWith("ts");
  test(`${b.where} (${b.name}) ${ts ? "type-checks" : "runs"} against the installed package`, async () => {
    const dir = join(work, b.name);
    mkdirSync(dir, { recursive: true });
    const p = await preludes[b.name].setup(dir);
    try {
      if (ts) {
        const ext = b.lang === "ts" ? "mts" : b.lang;
        writeFileSync(join(dir, "globals.d.ts"), `${p.declarations}\nexport {};\n`);
        writeFileSync(join(dir, `snippet.${ext}`), b.code);
        writeFileSync(
          join(dir, "tsconfig.json"),
          JSON.stringify({
            compilerOptions: {
              strict: true,
              noEmit: true,
              module: "nodenext",
              moduleResolution: "nodenext",
              target: "es2022",
              lib: ["es2022", "dom"],
              types: [],
              skipLibCheck: false,
            },
            files: ["globals.d.ts", `snippet.${ext}`],
          }),
        );
        await run(bin("tsc"), ["-p", join(dir, "tsconfig.json")], { cwd: dir }).catch((e) =>
          assert.fail(`${b.where}: tsc\n${e.stdout}${e.stderr}`),
        );
      } else {
        const ext = b.lang === "cjs" ? "cjs" : "mjs";
        assert.equal(ext, "mjs", "CommonJS snippets would need a CommonJS prelude");
        writeFileSync(join(dir, "prelude.mjs"), p.prelude);
        writeFileSync(join(dir, `snippet.${ext}`), `import "./prelude.mjs";\n${b.code}${p.epilogue}`);
        const out = await run(process.execPath, [`snippet.${ext}`], { cwd: dir, timeout: 60_000 }).catch((e) =>
          assert.fail(`${b.where}: exit ${e.code}\n${e.stdout}${e.stderr}`),
        );
        p.check?.(out.stdout);
      }
    } finally {
      await p.close?.();
    }
  });
}
