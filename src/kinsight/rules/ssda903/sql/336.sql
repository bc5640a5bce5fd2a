-- A placement for adoption with the current foster carer (A3 or A5) must follow a foster placement
-- (U1-U6) or another placement for adoption (A3-A6).  The first episode in this year's return has no
-- earlier episode to compare with and is not checked.  Episodes without a DECOM sort last in
-- episodes_seq, so an episode with one has only dated episodes before it.
SELECT 'episodes' AS table_name, _row, CHILD AS child
FROM episodes_seq
WHERE DECOM IS NOT NULL AND PLACE IN ('A3', 'A5') AND seq_no > 1
  AND coalesce(prev_PLACE, '') NOT IN ('A3', 'A4', 'A5', 'A6', 'U1', 'U2', 'U3', 'U4', 'U5', 'U6')
