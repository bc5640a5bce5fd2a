SELECT 'header' AS table_name, h._row, h.CHILD AS child
FROM header_raw h JOIN header_last_raw l ON l.CHILD = h.CHILD
WHERE TRY_CAST(h.UASC AS INTEGER) = 1 AND TRY_CAST(l.UASC AS INTEGER) = 1
  AND (EXISTS (SELECT 1 FROM uasc_last u WHERE u.CHILD = h.CHILD AND u.DUC IS NOT NULL)
       OR EXISTS (SELECT 1 FROM uasc u WHERE u.CHILD = h.CHILD AND u.DUC < (SELECT collection_start FROM params)))
