package dev.sigmacep.job;

import dev.sigmacep.event.DecodeResult;
import dev.sigmacep.event.EventDecoder;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichMapFunction;

/** Decodes raw records of a source that cannot decode by itself (tests, generic string sources). */
final class DecodeRecords extends RichMapFunction<String, DecodeResult> {
    private final int maxRecordChars;
    private transient EventDecoder decoder;

    DecodeRecords(int maxRecordChars) {
        this.maxRecordChars = maxRecordChars;
    }

    @Override
    public void open(OpenContext openContext) {
        decoder = new EventDecoder(maxRecordChars);
    }

    @Override
    public DecodeResult map(String record) {
        return decoder.decode(record);
    }
}
