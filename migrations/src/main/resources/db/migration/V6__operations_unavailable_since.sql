-- Since when an operation's backing service has not answered: set at its step's first unavailability, cleared by a
-- step that went on. An operation gives up once this is older than paasbroker.operations.give-up-after, so a cloud
-- resource that takes an hour to make is not failed by one unanswered poll late in it.
ALTER TABLE operations ADD COLUMN unavailable_since TIMESTAMPTZ;
