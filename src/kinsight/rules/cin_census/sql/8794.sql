-- The same disability code recorded twice for one child: every copy is flagged.
SELECT 'disabilities' AS table_name, _row, LAchildID AS child
FROM (
    SELECT _row, LAchildID, count(*) OVER (PARTITION BY LAchildID, Disability) AS copies
    FROM disabilities WHERE Disability IS NOT NULL
)
WHERE copies > 1
