-- 0002: events (GDELT), mentions, aid (Kiel tracker) and event_months, the per-import
-- aggregates of new events per directed dyad and month that EventSignals sums.

-- shard: cityHash64(actor1, actor2)
CREATE TABLE IF NOT EXISTS events (
    source       String,
    event_id     Int64,
    day          Int32,
    date_added   Int64,
    actor1       String,
    actor2       String,
    actor1_code  String,
    actor2_code  String,
    event_code   String,
    root_code    String,
    quad         UInt8,
    goldstein    Float32,
    num_mentions Int32,
    num_sources  Int32,
    num_articles Int32,
    avg_tone     Float32,
    url          String,
    import_id    UInt64,
    line         Int32
) ENGINE = MergeTree PARTITION BY intDiv(day, 100) ORDER BY (actor1, actor2, day, event_code);

-- shard: cityHash64(event_id)
CREATE TABLE IF NOT EXISTS mentions (
    event_id      Int64,
    event_time    Int64,
    mention_time  Int64,
    mention_type  Int8,
    source_name   String,
    url           String,
    sentence_id   Int32,
    actor1_offset Int32,
    actor2_offset Int32,
    action_offset Int32,
    confidence    Int8,
    doc_tone      Float32,
    import_id     UInt64,
    line          Int32
) ENGINE = MergeTree PARTITION BY intDiv(mention_time, 100000000) ORDER BY (event_id, mention_time);

CREATE TABLE IF NOT EXISTS aid (
    donor     String,
    recipient String,
    month     Int32,
    kind      String,
    eur_bn    Float64,
    release   String,
    url       String,
    title     String,
    publisher String,
    published String,
    import_id UInt64,
    line      Int32
) ENGINE = MergeTree ORDER BY (donor, recipient, month, kind);

-- month is YYYYMM.
-- shard: cityHash64(actor1, actor2)
CREATE TABLE IF NOT EXISTS event_months (
    actor1    String,
    actor2    String,
    month     Int32,
    n         Int64,
    q1        Int64,
    q2        Int64,
    q3        Int64,
    q4        Int64,
    gsum      Float64,
    gweight   Int64,
    import_id UInt64
) ENGINE = MergeTree PARTITION BY intDiv(month, 100) ORDER BY (actor1, actor2, month);
