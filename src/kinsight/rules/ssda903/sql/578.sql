WITH final AS (SELECT * FROM final_episodes)
SELECT 'missing' AS table_name, m._row, m.CHILD AS child
FROM missing m JOIN final f ON f.CHILD = m.CHILD
WHERE f.DEC IS NOT NULL AND f.REC IS DISTINCT FROM 'X1' AND m.MIS_START > f.DEC
