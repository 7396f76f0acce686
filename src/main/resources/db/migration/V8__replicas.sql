-- Replicas on one PostgreSQL database (README, Running replicas).

-- The leader of each election namespace. Whoever takes the lead adds one to the term: the term is the fencing
-- token that once-only writes are checked against, so a node that lost the lead writes nothing more.
CREATE TABLE cluster_leader (
    name    VARCHAR(100) NOT NULL PRIMARY KEY,
    term    BIGINT       NOT NULL,
    holder  VARCHAR(200) NOT NULL,
    since   TIMESTAMP WITH TIME ZONE NOT NULL
);

-- The API calls of the whole cluster per day, so a budget holds for all replicas together.
CREATE TABLE api_budget_day (
    api    VARCHAR(20) NOT NULL,
    call_day DATE      NOT NULL,
    calls  BIGINT      NOT NULL,
    PRIMARY KEY (api, call_day)
);

-- A pause of an API (daily budget spent, share spent, limit exceeded) that every replica honours.
CREATE TABLE api_budget_pause (
    api         VARCHAR(20)  NOT NULL PRIMARY KEY,
    code        VARCHAR(50)  NOT NULL,
    reason      VARCHAR(1000) NOT NULL,
    paused_until TIMESTAMP WITH TIME ZONE NOT NULL
);
