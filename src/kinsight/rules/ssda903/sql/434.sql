-- RNE L: the legal status changed and nothing about the placement did.
SELECT 'episodes' AS table_name, _row, CHILD AS child
FROM episodes_seq
WHERE RNE = 'L' AND prev__row IS NOT NULL
  AND (LS IS NOT DISTINCT FROM prev_LS OR PLACE IS DISTINCT FROM prev_PLACE
       OR replace(PL_POST, ' ', '') IS DISTINCT FROM replace(prev_PL_POST, ' ', '')
       OR URN IS DISTINCT FROM prev_URN OR PLACE_PROVIDER IS DISTINCT FROM prev_PLACE_PROVIDER)
