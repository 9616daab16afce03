package dev.sigmacep.peers;

import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.table.api.Schema;
import org.apache.flink.table.api.Table;
import org.apache.flink.table.api.bridge.java.StreamTableEnvironment;
import org.apache.flink.types.Row;

import java.time.Duration;

/**
 * Flink SQL {@code MATCH_RECOGNIZE} on the same stream as the CEP peer: the DataStream becomes a table whose rowtime
 * is the record timestamp (watermarks from the stream). Gap variables X and Y are undefined (always true) and
 * reluctant, which gives relaxed contiguity: {@code PATTERN (A X*? B Y*? C) WITHIN INTERVAL '30' MINUTE}.
 * Background is dropped by a WHERE before MATCH_RECOGNIZE (or, with --no-prefilter, absorbed by the gaps).
 */
final class FlinkSqlChain implements Peer {
    static final String QUERY = """
            SELECT aSeq, cSeq
            FROM %s
            MATCH_RECOGNIZE (
                PARTITION BY `key`
                ORDER BY rowtime
                MEASURES A.seq AS aSeq, C.seq AS cSeq
                ONE ROW PER MATCH
                AFTER MATCH SKIP PAST LAST ROW
                PATTERN (A X*? B Y*? C) WITHIN INTERVAL '30' MINUTE
                DEFINE
                    A AS A.kind = 1,
                    B AS B.kind = 2,
                    C AS C.kind = 3
            ) AS T
            """;

    private final boolean prefilter;
    private final Duration outOfOrderness;
    private FlinkLocal flink;

    FlinkSqlChain(boolean prefilter, Duration outOfOrderness) {
        this.prefilter = prefilter;
        this.outOfOrderness = outOfOrderness;
    }

    @Override
    public String name() {
        return "flinksql_chain";
    }

    static String query(boolean prefilter) {
        return QUERY.formatted(prefilter ? "(SELECT * FROM events WHERE kind <> 0)" : "events");
    }

    @Override
    public void open() throws Exception {
        flink = new FlinkLocal();
    }

    @Override
    public Run run(ChainEvent[] events) throws Exception {
        StreamExecutionEnvironment env = FlinkLocal.environment();
        StreamTableEnvironment tables = StreamTableEnvironment.create(env);
        DataStream<ChainEvent> stream = FlinkLocal.source(env, events, outOfOrderness);
        tables.createTemporaryView("events", tables.fromDataStream(stream, Schema.newBuilder()
                .columnByMetadata("rowtime", "TIMESTAMP_LTZ(3)")
                .watermark("rowtime", "SOURCE_WATERMARK()")
                .build()));
        Table matches = tables.sqlQuery(query(prefilter));
        DataStream<Row> rows = tables.toDataStream(matches);
        rows.sinkTo(new FlinkLocal.CountingSink<>()).name("count");
        double seconds = flink.execute(env, name());
        return new Run(FlinkLocal.MATCHES.get(), seconds);
    }

    @Override
    public String note() {
        return "Flink 2.2.0 SQL MATCH_RECOGNIZE (PATTERN (A X*? B Y*? C) WITHIN INTERVAL '30' MINUTE, AFTER MATCH "
                + "SKIP PAST LAST ROW, PARTITION BY key ORDER BY rowtime) on a local mini cluster, parallelism 1; "
                + "watermarks as the CEP peer (" + outOfOrderness.toMillis() + " ms); "
                + (prefilter ? "background dropped by WHERE kind <> 0 before MATCH_RECOGNIZE" : "background fed to MATCH_RECOGNIZE")
                + "; timed: JobGraph submission to job result (mini cluster started and warmed up before; SQL planned before)";
    }

    @Override
    public void close() throws Exception {
        if (flink != null) flink.close();
    }
}
