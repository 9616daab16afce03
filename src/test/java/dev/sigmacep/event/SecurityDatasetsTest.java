package dev.sigmacep.event;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Decodes the real telemetry in the shared Security-Datasets snapshot (see its SOURCE.txt). */
class SecurityDatasetsTest {
    private static Path datasets;

    @BeforeAll
    static void locate() {
        datasets = Path.of(System.getProperty("sigmacep.shared", "../shared"), "data/telemetry/security-datasets");
        assumeTrue(Files.isDirectory(datasets), "../shared not found (" + datasets + "): real-data tests skipped");
    }

    private static List<Path> files(String under, String... suffixes) throws IOException {
        try (Stream<Path> walk = Files.walk(datasets.resolve(under))) {
            return walk.filter(Files::isRegularFile)
                    .filter(p -> Stream.of(suffixes).anyMatch(s -> p.toString().endsWith(s)))
                    .sorted().toList();
        }
    }

    private static InputStream input(Path file) throws IOException {
        InputStream in = Files.newInputStream(file);
        if (file.toString().endsWith(".gz")) in = new GZIPInputStream(in, 1 << 16);
        return in;
    }

    private static DecodeTally tally(List<Path> files) throws IOException {
        DecodeTally tally = new DecodeTally();
        for (Path file : files) {
            try (InputStream in = input(file)) {
                tally.add(in);
            }
        }
        return tally;
    }

    @Test
    void sysmonProcessAndNetworkEventsFromEveryDataset() throws IOException {
        DecodeTally tally = tally(files("sysmon_eid1_eid3_only", ".jsonl"));
        System.out.println("sysmon_eid1_eid3_only: " + tally);
        assertThat(tally.deadLettersPerReason).as(tally.deadLetters.toString()).isEmpty();
        // SOURCE.txt: 2,048 EID1 + 7,096 EID3 = 9,144 events; 5 of 123 files are Winlogbeat, one is a Sentinel export
        assertThat(tally.eventsPerFormat).containsOnly(
                entry("sysmon-flat", 8_365L), entry("winlogbeat", 772L), entry("sentinel", 7L));
        assertThat(tally.eventsPerEventId).containsOnly(entry(1, 2_048L), entry(3, 7_096L));
        assertThat(tally.withArgCount).isEqualTo(2_048L);
        assertThat(tally.processStartsWithoutImage).isZero();
    }

    @Test
    void werRelatedEvents() throws IOException {
        DecodeTally tally = tally(files("wer_related", ".jsonl"));
        System.out.println("wer_related: " + tally);
        assertThat(tally.deadLettersPerReason).as(tally.deadLetters.toString()).isEmpty();
        // SOURCE.txt: 80 Sysmon EID1, 890 Sysmon EID22, 22 Security 4688
        assertThat(tally.eventsPerFormat).containsOnly(entry("sysmon-flat", 992L));
        assertThat(tally.eventsPerEventId).containsOnly(entry(1, 80L), entry(22, 890L), entry(4688, 22L));
        assertThat(tally.processStartsWithoutImage).isZero();
    }

    @Test
    void fullWinlogbeatDataset() throws IOException {
        DecodeTally tally = tally(files("full", ".json.gz"));
        System.out.println("full: " + tally);
        assertThat(tally.deadLettersPerReason).as(tally.deadLetters.toString()).isEmpty();
        // SOURCE.txt: 2,668 events, hosts HR001/HFDC01/IT001.shire.com (host.name is the WEC server)
        assertThat(tally.eventsPerFormat).containsOnly(entry("winlogbeat", 2_668L));
        assertThat(tally.eventsPerHost).containsOnlyKeys("HR001.shire.com", "HFDC01.shire.com", "IT001.shire.com");
        assertThat(tally.eventsPerEventId).contains(entry(1, 11L), entry(3, 89L), entry(4688, 11L), entry(12, 701L));
        assertThat(tally.processStartsWithoutImage).isZero(); // the 4688 mapping works on Winlogbeat too
    }

    @Test
    @Tag("slow")
    void allSevenCampaignArchives() throws IOException {
        List<Path> zips = files("archives", ".zip");
        assertThat(zips).hasSize(7);
        DecodeTally tally = new DecodeTally();
        long start = System.nanoTime();
        long chars = 0;
        for (Path zip : zips) {
            try (ZipInputStream in = new ZipInputStream(Files.newInputStream(zip), StandardCharsets.UTF_8)) {
                for (ZipEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
                    if (!e.isDirectory()) tally.add(in);
                }
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf("archives: %s in %.1f s, %.0f records/s%n", tally, seconds, (tally.events() + tally.dead()) / seconds);
        System.out.println("archives hosts: " + tally.eventsPerHost);
        assertThat(tally.deadLettersPerReason).as(tally.deadLetters.toString()).isEmpty();
        assertThat(tally.eventsPerFormat).containsOnly(entry("sysmon-flat", 354_229L));
    }

    /**
     * Splitter and decoder alone (input in memory), best of five passes each over one campaign. Reports figures only:
     * a shared machine makes a throughput threshold flaky.
     */
    @Test
    @Tag("slow")
    void decoderThroughputOnOneCampaign() throws IOException {
        Path zip = files("archives/datasets/compound/LSASS_campaign_02", ".zip").get(0);
        List<String> records = new ArrayList<>();
        long splitNanos = Long.MAX_VALUE;
        try (ZipInputStream in = new ZipInputStream(Files.newInputStream(zip), StandardCharsets.UTF_8)) {
            in.getNextEntry();
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            for (int pass = 0; pass < 5; pass++) {
                records.clear();
                long start = System.nanoTime();
                JsonRecordSplitter splitter = new JsonRecordSplitter(
                        new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), EventDecoder.DEFAULT_MAX_RECORD_CHARS);
                while (splitter.next()) records.add(new String(splitter.bytes(), 0, splitter.length(), StandardCharsets.UTF_8));
                splitNanos = Math.min(splitNanos, System.nanoTime() - start);
            }
        }
        EventDecoder decoder = new EventDecoder();
        double best = 0;
        for (int pass = 0; pass < 5; pass++) {
            long start = System.nanoTime();
            long ok = 0;
            for (String record : records) if (decoder.decode(record).event() != null) ok++;
            double perSecond = records.size() / ((System.nanoTime() - start) / 1e9);
            best = Math.max(best, perSecond);
            assertThat(ok).isEqualTo(records.size());
        }
        System.out.printf("throughput: %d records, splitter %.0f records/s, decoder %.0f records/s (one thread)%n",
                records.size(), records.size() / (splitNanos / 1e9), best);
    }
}
