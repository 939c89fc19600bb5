// The fenced code blocks of a Markdown file, each with the marker comment that precedes it:
//   <!-- snippet: NAME -->            run (JS) or type-check (TS) with the prelude called NAME;
//   <!-- snippet: excerpt-of PATH -->  lines of a file that another test runs (a browser page):
//                                      each line of the block must be a line of PATH, in order;
//   <!-- snippet: not-run (REASON) --> deliberately not executed (a shell line, a diagram, Rust).
// Blocks inside list items (indented fences) count too; their indentation is removed.

/** Languages the README test executes or type-checks; a block in one of them must be runnable. */
export const RUNNABLE = new Set(["js", "mjs", "cjs", "ts", "mts", "cts"]);

const FENCE = /^( *)```(\S*)\s*$/;
const MARKER =
  /^ *<!-- snippet: (?:not-run \((?<reason>[^)]+)\)|excerpt-of (?<excerpt>[\w./-]+)|(?<name>[a-z0-9-]+)) -->\s*$/;

/**
 * The blocks of `markdown`: `{ line, lang, name, excerptOf, notRun, code }` — `line` is the
 * 1-based line of the opening fence, `name` / `excerptOf` / `notRun` come from the marker on the
 * nearest non-blank line above (all `null` when there is none).
 */
export function codeBlocks(markdown) {
  const lines = markdown.split("\n");
  const blocks = [];
  for (let i = 0; i < lines.length; i++) {
    const open = FENCE.exec(lines[i]);
    if (!open) continue;
    const indent = open[1].length;
    const start = i;
    const body = [];
    for (i++; i < lines.length && !/^ *```\s*$/.test(lines[i]); i++) body.push(lines[i].slice(indent));
    if (i === lines.length) throw new Error(`unclosed code block at line ${start + 1}`);
    let above = start - 1;
    while (above >= 0 && lines[above].trim() === "") above--;
    const marker = above >= 0 ? MARKER.exec(lines[above]) : null;
    blocks.push({
      line: start + 1,
      lang: open[2],
      name: marker?.groups?.name ?? null,
      excerptOf: marker?.groups?.excerpt ?? null,
      notRun: marker?.groups?.reason ?? null,
      code: `${body.join("\n")}\n`,
    });
  }
  return blocks;
}
