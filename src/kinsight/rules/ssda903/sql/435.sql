-- RNE P or T: the placement changed and the legal status did not.
SELECT 'episodes' AS table_name, _row, CHILD AS child
FROM episodes_seq
WHERE RNE IN ('P', 'T') AND prev__row IS NOT NULL
  AND (LS IS DISTINCT FROM prev_LS OR NOT (PLACE IS DISTINCT FROM prev_PLACE
       OR replace(PL_POST, ' ', '') IS DISTINCT FROM replace(prev_PL_POST, ' ', '')
       OR URN IS DISTINCT FROM prev_URN OR PLACE_PROVIDER IS DISTINCT FROM prev_PLACE_PROVIDER))
