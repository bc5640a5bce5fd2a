-- DATE_PERM is DD/MM/YYYY, with zz for an unknown day or month; it must be a real date before the period of care.
WITH perm AS (
    SELECT r._row, r.CHILD, r.DATE_PERM,
           regexp_full_match(lower(r.DATE_PERM), '(\d{2}|zz)/(\d{2}|zz)/\d{4}') AS shaped,
           try_strptime(replace(lower(r.DATE_PERM), 'zz', '01'), '%d/%m/%Y')::DATE AS as_date
    FROM prevperm r WHERE r.DATE_PERM IS NOT NULL),
starts AS (SELECT CHILD, max(DECOM) AS started FROM episodes WHERE RNE = 'S' GROUP BY CHILD)
SELECT 'prevperm' AS table_name, perm._row, perm.CHILD AS child
FROM perm LEFT JOIN starts s ON s.CHILD = perm.CHILD
WHERE NOT perm.shaped OR perm.as_date IS NULL OR perm.as_date > s.started
