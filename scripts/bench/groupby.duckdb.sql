-- Complaints per department (the department of the complaint's category),
-- in DuckDB SQL over ledger/complaints.csv and masters/categories.csv.
SELECT k.dept AS dept, count(*) AS complaints
FROM read_csv('${DIR}/ledger/complaints.csv', header = true,
    auto_detect = false, delim = ',', quote = '"', escape = '"',
    columns = {'id': 'VARCHAR', 'registered': 'VARCHAR',
    'channel': 'VARCHAR', 'category': 'VARCHAR', 'loc': 'VARCHAR',
    'name': 'VARCHAR', 'phone': 'VARCHAR', 'text': 'VARCHAR',
    'ref': 'VARCHAR', 'crc': 'VARCHAR'}) c
JOIN read_csv('${DIR}/masters/categories.csv', header = true,
    auto_detect = false, delim = ',', quote = '"', escape = '"',
    columns = {'category': 'VARCHAR', 'name': 'VARCHAR',
    'name_hi': 'VARCHAR', 'dept': 'VARCHAR', 'sla_days': 'VARCHAR',
    'start_level': 'VARCHAR'}) k USING (category)
GROUP BY k.dept ORDER BY k.dept
