SELECT 'uasc' AS table_name, u._row, u.CHILD AS child
FROM uasc u JOIN header_raw h ON h.CHILD = u.CHILD
WHERE u.DUC IS NOT NULL AND coalesce(TRY_CAST(h.UASC AS INTEGER), -1) <> 1
