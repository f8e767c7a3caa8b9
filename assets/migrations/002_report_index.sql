-- kaden schema v2: a covering index for the report aggregates. `activities_at (at, result)`
-- still needs a table lookup per row for kind and channel; with 1M+ activities a month's
-- report took seconds. With (at, kind, channel, result, rep) the period counts (and the
-- breakdown by rep) are answered from the index alone.
CREATE INDEX activities_report ON activities (at, kind, channel, result, rep);
