package main

// allPairsSQL computes, inside DuckDB, the same table as signal.AllPairs with
// signal.ByYear: every unordered dyad × calendar year of the vote date, over the roll
// calls where both cast yes (1), abstain (2) or no (3), with all seven metrics and NULL
// where a metric is undefined. It is the peer of the Go kernel in the benchmark: a
// self-join of the votes on the roll call, grouped by dyad and year, then the formulas of
// docs/method.md written in terms of sums (the 3×3 table is summarised by its diagonal,
// the one-abstains count, the marginal sums and the sums of squares, which is all the
// formulas need).
//
// It reads one source only ($1), as the benchmark store holds one.
const allPairsSQL = `
WITH v AS (
  SELECT year(r.date)::INTEGER AS y, v.rc_id, v.ccode, v.vote::INTEGER AS vote
  FROM votes v JOIN roll_calls r ON r.source = v.source AND r.rc_id = v.rc_id
  WHERE v.source = $1 AND v.vote BETWEEN 1 AND 3
),
s AS (
  SELECT a.y, a.ccode AS ca, b.ccode AS cb,
    count(*)::DOUBLE AS n,
    count(*) FILTER (WHERE a.vote = b.vote)::DOUBLE AS same,
    count(*) FILTER (WHERE (a.vote = 2) <> (b.vote = 2))::DOUBLE AS half,
    sum(abs(a.vote - b.vote))::DOUBLE AS dabs,
    sum((a.vote - b.vote) * (a.vote - b.vote))::DOUBLE AS dsq,
    count(*) FILTER (WHERE a.vote = 1)::DOUBLE AS r1,
    count(*) FILTER (WHERE a.vote = 2)::DOUBLE AS r2,
    count(*) FILTER (WHERE a.vote = 3)::DOUBLE AS r3,
    count(*) FILTER (WHERE b.vote = 1)::DOUBLE AS c1,
    count(*) FILTER (WHERE b.vote = 2)::DOUBLE AS c2,
    count(*) FILTER (WHERE b.vote = 3)::DOUBLE AS c3,
    sum(a.vote)::DOUBLE AS sa, sum(b.vote)::DOUBLE AS sb,
    sum(a.vote * a.vote)::DOUBLE AS sa2, sum(b.vote * b.vote)::DOUBLE AS sb2
  FROM v a JOIN v b ON a.rc_id = b.rc_id AND a.ccode < b.ccode
  GROUP BY a.y, a.ccode, b.ccode
),
e AS (
  SELECT *,
    (r1 * c1 + r2 * c2 + r3 * c3) / (n * n) AS pe_k,
    ((r1 + c1) * (r1 + c1) + (r2 + c2) * (r2 + c2) + (r3 + c3) * (r3 + c3)) / (4 * n * n) AS pe_p,
    sa2 / n + sb2 / n - 2 * (sa / n) * (sb / n) AS de_k,
    (sa2 + sb2) / n - 2 * ((sa + sb) / (2 * n)) * ((sa + sb) / (2 * n)) AS de_p
  FROM s
)
SELECT ca, cb, y::VARCHAR AS period, n::INTEGER AS n,
  (same + 0.5 * half) / n AS agree,
  1 - 2 * dabs / (n * 2) AS s_abs,
  1 - 2 * dsq / (n * 4) AS s_sq,
  CASE WHEN pe_p < 1 THEN (same / n - pe_p) / (1 - pe_p) END AS pi,
  CASE WHEN pe_k < 1 THEN (same / n - pe_k) / (1 - pe_k) END AS kappa,
  CASE WHEN de_p > 0 THEN 1 - (dsq / n) / de_p END AS pi_w,
  CASE WHEN de_k > 0 THEN 1 - (dsq / n) / de_k END AS kappa_w
FROM e
ORDER BY period, ca, cb
`
