-- A child may have only one open episode (no CINclosureDate) that led to further action (ReferralNFA false).
SELECT 'cindetails' AS table_name, _row, LAchildID AS child
FROM (
    SELECT _row, LAchildID, count(*) OVER (PARTITION BY LAchildID) AS open_episodes
    FROM cindetails
    WHERE CINclosureDate IS NULL AND ReferralNFA = FALSE
)
WHERE open_episodes > 1
