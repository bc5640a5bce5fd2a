SELECT 'episodes' AS table_name, e._row, e.CHILD AS child
FROM episodes e
WHERE e.REC = 'X1' AND NOT EXISTS (
    SELECT 1 FROM episodes n
    WHERE n.CHILD = e.CHILD AND n.DECOM = e.DEC
      -- another episode: a CSV row has its own _row, but an XML child's episodes share the child's
      AND (n._row <> e._row OR n.DECOM <> e.DECOM))
