-- Complaints per department (the department of the complaint's category),
-- in SQLite over the imported complaints and categories tables.
SELECT k.dept AS dept, count(*) AS complaints
FROM complaints c JOIN categories k ON k.category = c.category
GROUP BY k.dept ORDER BY k.dept;
