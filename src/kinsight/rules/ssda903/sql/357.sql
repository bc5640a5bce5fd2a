-- A child's first episode this year starts a period of care (RNE S) unless the child was looked after last
-- year; only judged when last year's return is held.
SELECT 'episodes' AS table_name, _row, CHILD AS child
FROM first_episodes e
WHERE coalesce(RNE, '') <> 'S' AND NOT EXISTS (SELECT 1 FROM episodes_last l WHERE l.CHILD = e.CHILD)
  AND EXISTS (SELECT 1 FROM episodes_last)  -- only judged when last year's return is held
