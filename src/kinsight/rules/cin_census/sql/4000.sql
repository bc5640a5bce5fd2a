-- A referral with no further action (ReferralNFA true) cannot have CIN plans: the episode and each plan are flagged.
WITH hits AS (
    SELECT c._row AS episode_row, d._row AS plan_row, c.LAchildID
    FROM cindetails c
    JOIN cinplandates d ON d.LAchildID = c.LAchildID AND d.CINdetailsID = c.CINdetailsID
    WHERE c.ReferralNFA
)
SELECT 'cindetails' AS table_name, episode_row AS _row, LAchildID AS child FROM hits
UNION ALL
SELECT 'cinplandates', plan_row, LAchildID FROM hits
