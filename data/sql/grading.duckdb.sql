-- grading.duckdb.sql: grv-report grading (grv-grading(5)) in DuckDB SQL,
-- over the union of many data directories at once: a state cell over its
-- districts' machines, a national one over states.  The same rows as
-- `grv-report grading -d DIR1 -d DIR2 ...` over the same directories
-- (tests/grv-report-union.bats holds the two to each other).
--
-- Parameters (a dollar sign and the name in braces), to substitute before
-- running:
--   ${DIRS}       the data directories as a DuckDB glob ('/srv/grv/*'); each
--                 must have its own node (grv.conf), so that ids differ
--   ${FROM}       start of the period, epoch seconds
--   ${U}          last second counted: min(--now, to) - 1; A = U + 1
--   ${OLD}        old_days in seconds (grading.conf, default 50 days)
--   ${W_SAT} ${W_OLD} ${W_FORCED} ${W_UNATT}   weights in hundredths
--                 (6000 2000 1000 1000)
--   ${GA} ${GB} ${GC}   grade bands in hundredths (8000 7000 6000)
--   ${G1} ${G2}   volume groups (10000 2000)
--   ${SLA}        grv.conf's sla_days;  ${TZ}  its tz offset, seconds
--   ${WORKING}    1 when calendar = working;  ${WEEKEND}  its weekend as a
--                 bit mask (bit 0 = Sunday);  ${HOLIDAYS}  a holidays.csv
--
-- The state of a complaint at A comes from its events stamped at or before
-- U, in ledger order; events of one complaint in the same second are
-- ordered as a life orders them (route, transfer, note, resolve, feedback,
-- escalate, close, then reopen, hold, resume, move).  Unattended (SPEC 6
-- and 7.1): open at A, due before A, and no resolve, officer's note or hold
-- since the last placement, a route, transfer, escalate, reopen, move or
-- resume (a transfer places it anew with the receiver).  A close followed
-- by a reopen does not count; a duplicate closure counts in no figure.
-- A complaint never placed by A counts for its category's department, and
-- as unattended once the due it would have had, placed when registered at
-- its category's start level, has passed (grv-grading(5), issue 16).
--
-- It reads the live ledger files, ledger/complaints.csv and
-- ledger/events.csv: add the sealed segments (ledger/*-*.csv.gz) to the
-- two read_csv calls as a list when a directory has any.  The masters are
-- read from every directory, one row per code (the first directory's, in
-- name order).  Rows are checked by grv-check, not here: run it first.
--
-- With DuckDB's command line (or any client), each parameter replaced:
--   sed -e 's,[$]{DIRS},/srv/grv/*,g' -e ... grading.duckdb.sql | duckdb -csv
WITH ev AS (
	SELECT id, event, dept, officer, due, reason,
	    epoch(CAST(ts AS TIMESTAMPTZ))::BIGINT AS t
	FROM read_csv('${DIRS}/ledger/events.csv', header = true,
	    auto_detect = false, delim = ',', quote = '"', escape = '"',
	    columns = {'ts': 'VARCHAR', 'id': 'VARCHAR', 'event': 'VARCHAR',
	    'level': 'VARCHAR', 'dept': 'VARCHAR', 'officer': 'VARCHAR',
	    'due': 'VARCHAR', 'actor': 'VARCHAR', 'reason': 'VARCHAR',
	    'ref': 'VARCHAR', 'note': 'VARCHAR', 'crc': 'VARCHAR'})
), ek AS (
	SELECT *, t * 8 + CASE event WHEN 'route' THEN 0 WHEN 'transfer' THEN 1
	    WHEN 'note' THEN 2 WHEN 'resolve' THEN 3 WHEN 'feedback' THEN 4
	    WHEN 'escalate' THEN 5 WHEN 'reopen' THEN 7 WHEN 'hold' THEN 7
	    WHEN 'resume' THEN 7 WHEN 'move' THEN 7 ELSE 6 END AS k
	FROM ev WHERE t <= ${U}
), st0 AS (
	-- placements (SPEC 7.1): route, transfer, escalate, reopen, move,
	-- resume; attention: a resolve, an officer's note, a hold; a close
	-- counts unless a reopen came after it
	SELECT id,
	    arg_max(dept, k) FILTER (WHERE event IN ('route', 'transfer',
		'escalate', 'reopen', 'move', 'resume')) AS dept,
	    arg_max(due, k) FILTER (WHERE event IN ('route', 'transfer',
		'escalate', 'reopen', 'move', 'resume')) AS due,
	    max(k) FILTER (WHERE event IN ('route', 'transfer', 'escalate',
		'reopen', 'move', 'resume')) AS placed_k,
	    max(k) FILTER (WHERE event = 'resolve') AS resolve_k,
	    max(k) FILTER (WHERE (event = 'note' AND officer <> '')
		OR event = 'hold') AS attend_k,
	    max(k) FILTER (WHERE event = 'close') AS close_k,
	    max(k) FILTER (WHERE event = 'reopen') AS reopen_k,
	    max(t) FILTER (WHERE event = 'close') AS close_t0,
	    arg_max(reason, k) FILTER (WHERE event = 'close') AS close_r0
	FROM ek GROUP BY id
), st AS (
	SELECT *,
	    CASE WHEN reopen_k IS NULL OR close_k > reopen_k THEN close_t0
		END AS close_t,
	    CASE WHEN reopen_k IS NULL OR close_k > reopen_k THEN close_r0
		END AS close_reason
	FROM st0
), c AS (
	SELECT id, category,
	    epoch(CAST(registered AS TIMESTAMPTZ))::BIGINT AS reg
	FROM read_csv('${DIRS}/ledger/complaints.csv', header = true,
	    auto_detect = false, delim = ',', quote = '"', escape = '"',
	    columns = {'id': 'VARCHAR', 'registered': 'VARCHAR',
	    'channel': 'VARCHAR', 'category': 'VARCHAR', 'loc': 'VARCHAR',
	    'name': 'VARCHAR', 'phone': 'VARCHAR', 'text': 'VARCHAR',
	    'ref': 'VARCHAR', 'crc': 'VARCHAR'})
), j AS (
	SELECT st.*, c.reg FROM st JOIN c USING (id)
	WHERE c.reg <= ${U} AND st.dept IS NOT NULL
	    AND (st.close_t IS NULL OR st.close_t >= ${FROM})
	    -- a duplicate closure counts in no figure (SPEC 7.2)
	    AND st.close_reason IS DISTINCT FROM 'duplicate'
), k AS (
	SELECT DISTINCT ON (category) category, dept,
	    nullif(coalesce(sla_days, ''), '') AS sla,
	    coalesce(CAST(nullif(coalesce(start_level, ''), '') AS INTEGER), 1)
		AS sl
	FROM read_csv('${DIRS}/masters/categories.csv', header = true,
	    auto_detect = false, delim = ',', quote = '"', escape = '"',
	    columns = {'category': 'VARCHAR', 'name': 'VARCHAR',
	    'name_hi': 'VARCHAR', 'dept': 'VARCHAR', 'sla_days': 'VARCHAR',
	    'start_level': 'VARCHAR'}, null_padding = true, filename = true)
	ORDER BY category, filename
), dd AS (
	SELECT DISTINCT ON (dept) dept,
	    CAST(nullif(coalesce(sla_days, ''), '') AS BIGINT) AS sla
	FROM read_csv('${DIRS}/masters/departments.csv', header = true,
	    auto_detect = false, delim = ',', quote = '"', escape = '"',
	    columns = {'dept': 'VARCHAR', 'name': 'VARCHAR',
	    'name_hi': 'VARCHAR', 'sla_days': 'VARCHAR'}, null_padding = true,
	    filename = true)
	ORDER BY dept, filename
), u0 AS (
	SELECT c.id, c.reg, k.dept,
	    coalesce(CASE WHEN len(string_split(k.sla, ';')) = 1
		THEN CAST(k.sla AS BIGINT)
		ELSE CAST(string_split(k.sla, ';')[k.sl] AS BIGINT) END,
		dd.sla, ${SLA}) AS days
	FROM c JOIN k USING (category) JOIN dd ON dd.dept = k.dept
	WHERE c.reg <= ${U}
	    AND c.id NOT IN (SELECT id FROM st WHERE dept IS NOT NULL)
), u1 AS (
	-- its local day, and the last day the due may fall on and be past
	SELECT *, (reg + ${TZ}) // 86400 AS d0,
	    (reg + ${TZ}) // 86400 + (${U} - reg) // 86400 AS dmax
	FROM u0
), hol AS (
	SELECT epoch(CAST(date AS DATE))::BIGINT // 86400 AS day
	FROM read_csv('${HOLIDAYS}', header = true, auto_detect = false,
	    delim = ',', quote = '"', escape = '"',
	    columns = {'date': 'VARCHAR', 'name': 'VARCHAR'},
	    null_padding = true)
), wd AS (
	-- working days: not a weekend day, not a holiday
	SELECT day FROM (SELECT unnest(range((SELECT min(d0) FROM u1),
	    (SELECT max(dmax) FROM u1) + 1)) AS day)
	WHERE ((${WEEKEND} >> ((day + 4) % 7)) & 1) = 0
	    AND day NOT IN (SELECT day FROM hol)
), ju AS (
	SELECT dept, reg, close_t, close_reason,
	    close_t IS NULL
		AND (resolve_k IS NULL OR resolve_k < placed_k)
		AND epoch(CAST(due AS TIMESTAMPTZ))::BIGINT < ${U} + 1
		AND (attend_k IS NULL OR attend_k < placed_k) AS unatt
	FROM j
	UNION ALL
	SELECT dept, reg, NULL, NULL,
	    CASE WHEN ${WORKING} = 1 THEN (SELECT count(*) FROM wd
		WHERE wd.day > u1.d0 AND wd.day <= u1.dmax) >= days
	    ELSE reg + days * 86400 < ${U} + 1 END
	FROM u1
), g AS (
	SELECT dept, count(*) AS n,
	    count(*) FILTER (WHERE close_reason = 'satisfied') AS sat,
	    count(*) FILTER (WHERE ${U} + 1 - reg > ${OLD}) AS old,
	    count(*) FILTER (WHERE ${U} + 1 - reg > ${OLD}
		AND close_reason = 'satisfied') AS old_sat,
	    count(*) FILTER (WHERE close_reason = 'forced') AS forced,
	    count(*) FILTER (WHERE unatt) AS unattended
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
	    // (2 * n * o) AS score,
	    CASE WHEN n >= ${G1} THEN 1 WHEN n >= ${G2} THEN 2 ELSE 3 END
		AS grp
	FROM s
), d AS (
	SELECT DISTINCT ON (dept) dept, name
	FROM read_csv('${DIRS}/masters/departments.csv',
	    header = true, auto_detect = false, delim = ',', quote = '"',
	    escape = '"', columns = {'dept': 'VARCHAR', 'name': 'VARCHAR',
	    'name_hi': 'VARCHAR', 'sla_days': 'VARCHAR'}, null_padding = true,
	    filename = true)
	ORDER BY dept, filename
)
SELECT sc.dept, d.name, grp AS "group",
    row_number() OVER (PARTITION BY grp ORDER BY score DESC, n DESC,
	sc.dept) AS rank,
    n, sat, old, old_sat, forced, unattended,
    printf('%d.%02d', score // 100, score % 100) AS score,
    CASE WHEN score >= ${GA} THEN 'A' WHEN score >= ${GB} THEN 'B'
	WHEN score >= ${GC} THEN 'C' ELSE 'D' END AS grade
FROM sc JOIN d USING (dept)
ORDER BY grp, rank
