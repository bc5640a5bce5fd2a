-- A referral with no further action (ReferralNFA true) cannot have child protection plans.
WITH hits AS (
    SELECT p._row AS plan_row, c._row AS episode_row, c.LAchildID
    FROM childprotectionplans p
    JOIN cindetails c ON c.LAchildID = p.LAchildID AND c.CINdetailsID = p.CINdetailsID
    WHERE c.ReferralNFA
)
SELECT 'cindetails' AS table_name, episode_row AS _row, LAchildID AS child FROM hits
UNION ALL
SELECT 'childprotectionplans', plan_row, LAchildID FROM hits
