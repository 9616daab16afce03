package dev.sigmacep.job;

import dev.sigmacep.event.DecodeResult;
import dev.sigmacep.event.EventDecoder;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.connector.file.src.FileSourceSplit;
import org.apache.flink.connector.file.src.reader.BulkFormat;
import org.apache.flink.connector.file.src.reader.StreamFormat;
import org.apache.flink.connector.file.src.util.CheckpointedPosition;
import org.apache.flink.connector.file.src.util.RecordAndPosition;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import static org.assertj.core.api.Assertions.assertThat;

/** A zip archive's batches end after 64 KB of the archive as stored, not 1 MB: each holds far fewer events. */
class WholeFileFormatTest {
    private static final int RECORDS = 6_000;
    @TempDir
    static Path dir;
    private static Path archive;

    @BeforeAll
    static void writeArchive() throws IOException {
        Random random = new Random(20);
        archive = dir.resolve("campaign.zip");
        try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(archive))) {
            zip.putNextEntry(new ZipEntry("campaign.json"));
            for (int n = 0; n < RECORDS; n++) {
                StringBuilder pad = new StringBuilder();
                for (int i = 0; i < 150; i++) pad.append(Integer.toHexString(random.nextInt(16)));
                String record = "{\"Channel\":\"Microsoft-Windows-Sysmon/Operational\",\"Hostname\":\"WKS-1\","
                        + "\"@timestamp\":\"2024-03-12T08:00:05.047Z\",\"EventID\":1,\"n\":" + n
                        + ",\"Hashes\":\"" + pad + "\"}\n";
                zip.write(record.getBytes(StandardCharsets.UTF_8));
            }
        }
        // several 64 KB batches, but less than the stock 1 MB
        assertThat(Files.size(archive)).isBetween(6 * 65_536L, 1_000_000L);
    }

    @Test
    void batchesEndAfter64KilobytesOfTheArchive() throws IOException {
        List<List<Long>> batches = read(new Configuration(), null);
        assertThat(batches).hasSizeGreaterThan(5);
        assertThat(batches).allSatisfy(batch -> assertThat(batch).hasSizeLessThan(RECORDS / 4));
        assertThat(batches.stream().flatMap(List::stream)).containsExactlyElementsOf(numbers(0));
    }

    @Test
    void aFetchSizeTheConfigurationSetsIsKept() throws IOException {
        Configuration config = new Configuration();
        config.set(StreamFormat.FETCH_IO_SIZE, MemorySize.ofMebiBytes(1));
        List<List<Long>> batches = read(config, null);
        assertThat(batches).hasSize(1);
        assertThat(batches.get(0)).containsExactlyElementsOf(numbers(0));
    }

    @Test
    void aRestoredReaderSkipsTheRecordsAlreadyEmitted() throws IOException {
        CheckpointedPosition emitted = new CheckpointedPosition(CheckpointedPosition.NO_OFFSET, 4_321);
        List<List<Long>> batches = read(new Configuration(), emitted);
        assertThat(batches.stream().flatMap(List::stream)).containsExactlyElementsOf(numbers(4_321));
    }

    private static List<Long> numbers(int from) {
        List<Long> numbers = new ArrayList<>();
        for (long n = from; n < RECORDS; n++) numbers.add(n);
        return numbers;
    }

    /** Each batch's events, by their {@code n}; a restore position makes it a restored reader. */
    private static List<List<Long>> read(Configuration config, CheckpointedPosition restoreAt) throws IOException {
        long size = Files.size(archive);
        FileSourceSplit split = new FileSourceSplit("0", new org.apache.flink.core.fs.Path(archive.toUri()), 0, size,
                0, size, new String[0], restoreAt);
        WholeFileFormat format = new WholeFileFormat(new JsonRecordFormat(EventDecoder.DEFAULT_MAX_RECORD_CHARS));
        List<List<Long>> batches = new ArrayList<>();
        try (BulkFormat.Reader<DecodeResult> reader = restoreAt == null
                ? format.createReader(config, split) : format.restoreReader(config, split)) {
            for (BulkFormat.RecordIterator<DecodeResult> batch; (batch = reader.readBatch()) != null; ) {
                List<Long> events = new ArrayList<>();
                for (RecordAndPosition<DecodeResult> record; (record = batch.next()) != null; ) {
                    DecodeResult result = record.getRecord();
                    assertThat(result.deadLetter()).as("dead letter").isNull();
                    events.add(Long.parseLong(String.valueOf(result.event().field("n"))));
                }
                batch.releaseBatch();
                batches.add(events);
            }
        }
        return batches;
    }
}
