-- A referral made before the last working day before 1 April belongs to an earlier census and cannot be
-- marked no further action (ReferralNFA true) in this one.
WITH -- working_days(): weekdays that are not England bank holidays (the engine's calendar).
working AS (SELECT day FROM working_days()),
cutoff AS (SELECT max(day) AS day FROM working, params WHERE day < params.collection_start)
SELECT 'cindetails' AS table_name, c._row, c.LAchildID AS child
FROM cindetails c, cutoff
WHERE c.ReferralNFA AND c.CINreferralDate < cutoff.day
