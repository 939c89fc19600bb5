// The re-framing runner (tests/vectors/reframing/): every legitimate spelling of one signed
// notification verifies with the one fingerprint; every re-framing of it is refused with
// AMBIGUOUS_FRAMING, by verifyNotification and in inspectNotification's verdict. Pure: runs
// through whatever `api` a runtime loaded.

/** Returns `{ same, reframed, bad }`: counts, and a description of every disagreement. */
export function runReframings(api, sources) {
  const bad = [];
  let same = 0;
  let reframed = 0;
  for (const src of sources) {
    for (const c of src.same) {
      const what = `${src.id} / ${c.how}`;
      try {
        const n = api.verifyNotification(c.body, src.key, src.options);
        if (!n.verified || n.fingerprint !== src.fingerprint) bad.push(`${what}: fingerprint ${n.fingerprint}`);
      } catch (e) {
        bad.push(`${what}: threw ${e.code}`);
      }
      same++;
    }
    for (const c of src.reframed) {
      const what = `${src.id} / ${c.how}`;
      try {
        const n = api.verifyNotification(c.body, src.key, src.options);
        bad.push(`${what}: verified (${JSON.stringify(n.params).slice(0, 80)})`);
      } catch (e) {
        if (e.code !== "AMBIGUOUS_FRAMING") bad.push(`${what}: ${e.code}`);
      }
      const report = api.inspectNotification(c.body, src.key, src.options);
      if (report.outcome.status !== "failed" || report.outcome.error?.code !== "AMBIGUOUS_FRAMING") {
        bad.push(`${what}: inspect says ${report.outcome.status} ${report.outcome.error?.code}`);
      }
      if (!report.problems.some((p) => p.code === "AMBIGUOUS_FRAMING" && p.hint && p.hintZh)) {
        bad.push(`${what}: inspect has no AMBIGUOUS_FRAMING problem`);
      }
      if (report.notification?.verified === true) bad.push(`${what}: inspect notification verified`);
      reframed++;
    }
  }
  return { same, reframed, bad };
}
