-- NONE cannot be recorded alongside a disability: every disability record of such a child is flagged.
SELECT 'disabilities' AS table_name, d._row, d.LAchildID AS child
FROM disabilities d
WHERE d.LAchildID IN (
    SELECT LAchildID FROM disabilities
    GROUP BY LAchildID
    HAVING count(*) FILTER (WHERE Disability = 'NONE') > 0 AND count(*) FILTER (WHERE Disability <> 'NONE') > 0
)
