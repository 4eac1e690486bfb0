-- SPEC section 6, grading of departments, in SQLite over tables imported
-- from the ledger CSV files (complaints, events, departments, categories,
-- holidays): the same formula as data/sql/grading.duckdb.sql in SQLite's dialect
-- (no arg_max: the last placement is found as the largest "key|dept|due"
-- string).  Parameters as in data/sql/grading.duckdb.sql (DIR for DIRS), substituted by
-- scripts/bench/run with sed.
WITH RECURSIVE ek AS (
	SELECT id, event, dept, officer, due, reason, unixepoch(ts) AS t,
	    unixepoch(ts) * 8 + CASE event WHEN 'route' THEN 0
		WHEN 'transfer' THEN 1 WHEN 'note' THEN 2 WHEN 'resolve' THEN 3
		WHEN 'feedback' THEN 4 WHEN 'escalate' THEN 5 WHEN 'reopen'
		THEN 7 WHEN 'hold' THEN 7 WHEN 'resume' THEN 7 WHEN 'move'
		THEN 7 ELSE 6 END AS k
	FROM events WHERE unixepoch(ts) <= ${U}
), st0 AS (
	-- placements (SPEC 7.1): route, transfer, escalate, reopen, move,
	-- resume; attention: a resolve, an officer's note, a hold; a close
	-- counts unless a reopen came after it
	SELECT id,
	    max(CASE WHEN event IN ('route', 'transfer', 'escalate', 'reopen',
		'move', 'resume') THEN printf('%015d', k) || dept || '|' || due
		END) AS pl,
	    max(CASE WHEN event IN ('route', 'transfer', 'escalate', 'reopen',
		'move', 'resume') THEN k END) AS placed_k,
	    max(CASE WHEN event = 'resolve' THEN k END) AS resolve_k,
	    max(CASE WHEN (event = 'note' AND officer <> '') OR event = 'hold'
		THEN k END) AS attend_k,
	    max(CASE WHEN event = 'close' THEN k END) AS close_k,
	    max(CASE WHEN event = 'reopen' THEN k END) AS reopen_k,
	    max(CASE WHEN event = 'close' THEN t END) AS close_t0,
	    max(CASE WHEN event = 'close' THEN printf('%015d', k) || reason
		END) AS close_r0
	FROM ek GROUP BY id
), st AS (
	SELECT *, substr(pl, 16, instr(substr(pl, 16), '|') - 1) AS dept,
	    substr(pl, 16 + instr(substr(pl, 16), '|')) AS due,
	    CASE WHEN reopen_k IS NULL OR close_k > reopen_k THEN close_t0
		END AS close_t,
	    CASE WHEN reopen_k IS NULL OR close_k > reopen_k THEN
		substr(close_r0, 16) END AS close_reason
	FROM st0 WHERE pl IS NOT NULL
), j AS (
	-- a duplicate closure counts in no figure (SPEC 7.2)
	SELECT st.*, unixepoch(c.registered) AS reg
	FROM st JOIN complaints c ON c.id = st.id
	WHERE unixepoch(c.registered) <= ${U}
	    AND (st.close_t IS NULL OR st.close_t >= ${FROM})
	    AND st.close_reason IS NOT 'duplicate'
), cs AS (
	-- each category's sla_days split: (category, level, days)
	SELECT category, 0 AS lvl, sla_days || ';' AS rest, NULL AS days
	FROM categories WHERE sla_days <> ''
	UNION ALL
	SELECT category, lvl + 1, substr(rest, instr(rest, ';') + 1),
	    CAST(substr(rest, 1, instr(rest, ';') - 1) AS INTEGER)
	FROM cs WHERE rest <> ''
), cl AS (
	SELECT category, lvl, days, max(lvl) OVER (PARTITION BY category) AS nl
	FROM cs WHERE lvl > 0
), u0 AS (
	-- never placed by A: its category's department (grv-grading(5)), and
	-- the due it would have had placed when registered at its start level
	SELECT c.id, unixepoch(c.registered) AS reg, k.dept AS dept,
	    coalesce((SELECT days FROM cl WHERE cl.category = k.category
		AND cl.lvl = CASE WHEN cl.nl = 1 THEN 1 ELSE
		coalesce(CAST(nullif(k.start_level, '') AS INTEGER), 1) END),
		CAST(nullif(d.sla_days, '') AS INTEGER), ${SLA}) AS days
	FROM complaints c JOIN categories k ON k.category = c.category
	    JOIN departments d ON d.dept = k.dept
	WHERE unixepoch(c.registered) <= ${U}
	    AND c.id NOT IN (SELECT id FROM st)
), u1 AS (
	-- its local day, and the last day the due may fall on and be past
	SELECT *, (reg + ${TZ}) / 86400 AS d0,
	    (reg + ${TZ}) / 86400 + (${U} - reg) / 86400 AS dmax
	FROM u0
), cal(day) AS (
	SELECT min(d0) FROM u1
	UNION ALL
	SELECT day + 1 FROM cal WHERE day < (SELECT max(dmax) FROM u1)
), wd AS (
	-- working days: not a weekend day (bit 0 = Sunday), not a holiday
	SELECT day FROM cal
	WHERE ((${WEEKEND} >> ((day + 4) % 7)) & 1) = 0
	    AND day NOT IN (SELECT unixepoch(date) / 86400 FROM holidays)
), u AS (
	SELECT dept, reg, NULL AS close_t, NULL AS close_reason,
	    CASE WHEN ${WORKING} THEN
		(SELECT count(*) FROM wd WHERE wd.day > d0 AND wd.day <= dmax)
		>= days
	    ELSE reg + days * 86400 < ${U} + 1 END AS unatt
	FROM u1
), ju AS (
	SELECT dept, reg, close_t, close_reason,
	    close_t IS NULL AND (resolve_k IS NULL OR resolve_k < placed_k)
		AND unixepoch(due) < ${U} + 1
		AND (attend_k IS NULL OR attend_k < placed_k) AS unatt
	FROM j
	UNION ALL
	SELECT dept, reg, close_t, close_reason, unatt FROM u
), g AS (
	SELECT dept, count(*) AS n,
	    sum(close_reason IS 'satisfied') AS sat,
	    sum(${U} + 1 - reg > ${OLD}) AS old,
	    sum(${U} + 1 - reg > ${OLD} AND close_reason IS 'satisfied')
		AS old_sat,
	    sum(close_reason IS 'forced') AS forced,
	    sum(unatt) AS unattended
	FROM ju GROUP BY dept
), s AS (
	SELECT *, CASE WHEN old > 0 THEN old ELSE 1 END AS o FROM g
), sc AS (
	SELECT *,
	    (2 * (${W_SAT} * sat * o
		+ CASE WHEN old > 0 THEN ${W_OLD} * old_sat * n
		    ELSE ${W_OLD} * n * o END
		+ ${W_FORCED} * (n - forced) * o
		+ ${W_UNATT} * (n - unattended) * o) + n * o)
	    / (2 * n * o) AS score,
	    CASE WHEN n >= ${G1} THEN 1 WHEN n >= ${G2} THEN 2 ELSE 3 END
		AS grp
	FROM s
)
SELECT sc.dept AS dept, d.name AS name, grp AS "group",
    row_number() OVER (PARTITION BY grp ORDER BY score DESC, n DESC,
	sc.dept) AS rank,
    n, sat, old, old_sat, forced, unattended,
    printf('%d.%02d', score / 100, score % 100) AS score,
    CASE WHEN score >= ${GA} THEN 'A' WHEN score >= ${GB} THEN 'B'
	WHEN score >= ${GC} THEN 'C' ELSE 'D' END AS grade
FROM sc JOIN departments d ON d.dept = sc.dept
ORDER BY grp, rank;
