// The difference between the V1 and V2 sign contents, piece by piece. Pure.

/**
 * Splits `a` at `&` and marks each piece `b` lacks (longest common subsequence of the pieces):
 * `[[piece, differs], …]`.
 */
export function diffPieces(a, b) {
  const x = a.split("&");
  const y = b.split("&");
  const table = Array.from({ length: x.length + 1 }, () => new Uint32Array(y.length + 1));
  for (let i = x.length - 1; i >= 0; i--) {
    for (let j = y.length - 1; j >= 0; j--) {
      table[i][j] = x[i] === y[j] ? table[i + 1][j + 1] + 1 : Math.max(table[i + 1][j], table[i][j + 1]);
    }
  }
  const out = [];
  let i = 0;
  let j = 0;
  while (i < x.length) {
    if (j < y.length && x[i] === y[j]) {
      out.push([x[i], false]);
      i++;
      j++;
    } else if (j < y.length && table[i][j + 1] >= table[i + 1][j]) {
      j++;
    } else {
      out.push([x[i], true]);
      i++;
    }
  }
  return out;
}
