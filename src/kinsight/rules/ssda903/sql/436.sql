-- RNE B or U: both the legal status and the placement changed.
SELECT 'episodes' AS table_name, _row, CHILD AS child
FROM (SELECT *, lag(_row) OVER w AS prev_row, lag(LS) OVER w AS p_ls, lag(PLACE) OVER w AS p_place,
             lag(PL_POST) OVER w AS p_post, lag(URN) OVER w AS p_urn, lag(PLACE_PROVIDER) OVER w AS p_prov
      FROM episodes WINDOW w AS (PARTITION BY CHILD ORDER BY DECOM, _row))
WHERE RNE IN ('B', 'U') AND prev_row IS NOT NULL
  AND (LS IS NOT DISTINCT FROM p_ls OR NOT (PLACE IS DISTINCT FROM p_place
       OR replace(PL_POST, ' ', '') IS DISTINCT FROM replace(p_post, ' ', '')
       OR URN IS DISTINCT FROM p_urn OR PLACE_PROVIDER IS DISTINCT FROM p_prov))
