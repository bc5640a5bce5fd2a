-- The child's final episode ended the period of care; no missing period can stay open.
WITH final AS (SELECT * FROM final_episodes)
SELECT 'missing' AS table_name, m._row, m.CHILD AS child
FROM missing m JOIN final f ON f.CHILD = m.CHILD
WHERE m.MIS_END IS NULL AND f.DEC IS NOT NULL AND f.REC IS DISTINCT FROM 'X1'
