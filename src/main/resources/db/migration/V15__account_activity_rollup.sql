-- Account roll-ups (README, Summary fields) read these instead of counting an Account's activities in the ledger on
-- every summary write: that count grew with the Account (30 days of a large Account are hundreds of thousands of
-- rows), and every poll that touched one of its people paid it again.
--   account_activity_day  an Account's activities per UTC day (days since 1970-01-01) and type: how many, the newest
--   account_person        each person seen at an Account, and their newest activity there
-- EventLedger keeps both in the transaction that records the activities; the ledger stays the source of truth.
CREATE TABLE account_activity_day (
    account_id    VARCHAR(18) NOT NULL,
    activity_day  BIGINT NOT NULL,
    activity_type VARCHAR(40) NOT NULL,
    activities    BIGINT NOT NULL,
    newest        TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (account_id, activity_day, activity_type)
);

CREATE TABLE account_person (
    account_id VARCHAR(18) NOT NULL,
    subject_id VARCHAR(18) NOT NULL,
    last_at    TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (account_id, subject_id)
);
CREATE INDEX account_person_last ON account_person (account_id, last_at);

-- what the ledger already holds ('' stands for an activity without a type)
INSERT INTO account_activity_day (account_id, activity_day, activity_type, activities, newest)
SELECT account_id, CAST(FLOOR(EXTRACT(EPOCH FROM occurred_at) / 86400) AS BIGINT), COALESCE(activity_type, ''), COUNT(*), MAX(occurred_at)
FROM event_ledger
WHERE account_id IS NOT NULL AND occurred_at IS NOT NULL
GROUP BY account_id, CAST(FLOOR(EXTRACT(EPOCH FROM occurred_at) / 86400) AS BIGINT), COALESCE(activity_type, '');

INSERT INTO account_person (account_id, subject_id, last_at)
SELECT account_id, subject_id, MAX(occurred_at)
FROM event_ledger
WHERE account_id IS NOT NULL AND subject_id IS NOT NULL AND occurred_at IS NOT NULL
GROUP BY account_id, subject_id;
