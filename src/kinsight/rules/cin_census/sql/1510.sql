-- The DfE check letter: characters 2-13 weighted 2..13 (a letter in position 13 counts as its index in
-- the check-letter alphabet), summed, modulo 23, indexed into the 23 letters without I, O and S.
-- Only UPNs whose body can be weighed are checked; malformed bodies are 1540's and 1550's job.
WITH weighed AS (
    SELECT _row, LAchildID, UPN,
        2 * TRY_CAST(substr(UPN, 2, 1) AS INTEGER) + 3 * TRY_CAST(substr(UPN, 3, 1) AS INTEGER)
        + 4 * TRY_CAST(substr(UPN, 4, 1) AS INTEGER) + 5 * TRY_CAST(substr(UPN, 5, 1) AS INTEGER)
        + 6 * TRY_CAST(substr(UPN, 6, 1) AS INTEGER) + 7 * TRY_CAST(substr(UPN, 7, 1) AS INTEGER)
        + 8 * TRY_CAST(substr(UPN, 8, 1) AS INTEGER) + 9 * TRY_CAST(substr(UPN, 9, 1) AS INTEGER)
        + 10 * TRY_CAST(substr(UPN, 10, 1) AS INTEGER) + 11 * TRY_CAST(substr(UPN, 11, 1) AS INTEGER)
        + 12 * TRY_CAST(substr(UPN, 12, 1) AS INTEGER)
        + 13 * CASE
            WHEN regexp_full_match(substr(UPN, 13, 1), '[0-9]') THEN TRY_CAST(substr(UPN, 13, 1) AS INTEGER)
            ELSE strpos('ABCDEFGHJKLMNPQRTUVWXYZ', substr(UPN, 13, 1)) - 1
        END AS total
    FROM childidentifiers
    WHERE UPN IS NOT NULL AND regexp_full_match(UPN, '[A-Z][0-9]{11}[0-9A-HJ-NP-RT-Z]')
)
SELECT 'childidentifiers' AS table_name, _row, LAchildID AS child
FROM weighed
WHERE substr(UPN, 1, 1) <> substr('ABCDEFGHJKLMNPQRTUVWXYZ', (total % 23) + 1, 1)
