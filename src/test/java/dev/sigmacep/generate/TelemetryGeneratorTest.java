package dev.sigmacep.generate;

import dev.sigmacep.event.DecodeResult;
import dev.sigmacep.event.Event;
import dev.sigmacep.event.EventDecoder;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TelemetryGeneratorTest {
    private static final Instant START = Instant.parse("2024-03-12T00:00:00Z");

    private static TelemetryGenerator generator(int hosts, long events, double chainRate, Duration disorder, long seed) {
        return new TelemetryGenerator(new TelemetryGenerator.Settings(hosts, events, chainRate, disorder, seed, START,
                Duration.ofHours(1)));
    }

    private static List<TelemetryGenerator.Record> records(TelemetryGenerator generator) {
        List<TelemetryGenerator.Record> records = new ArrayList<>();
        generator.forEach(records::add);
        return records;
    }

    @Test
    void theSameSeedGivesTheSameBytesAndAnotherSeedOthers() {
        assertThat(records(generator(50, 500, 0.1, Duration.ZERO, 3)))
                .isEqualTo(records(generator(50, 500, 0.1, Duration.ZERO, 3)))
                .isNotEqualTo(records(generator(50, 500, 0.1, Duration.ZERO, 4)));
    }

    @Test
    void everyRecordDecodesAsFlatSysmonAndTheCountsAreAsAsked() {
        TelemetryGenerator generator = generator(100, 2_000, 0.5, Duration.ZERO, 1);
        EventDecoder decoder = new EventDecoder();
        Set<String> hosts = new HashSet<>();
        int wer = 0;
        long previous = Long.MIN_VALUE;
        for (TelemetryGenerator.Record record : records(generator)) {
            DecodeResult result = decoder.decode(record.json());
            assertThat(result.deadLetter()).as(record.json()).isNull();
            Event event = result.event();
            assertThat(event.format()).isEqualTo("sysmon-flat");
            assertThat(event.host()).isEqualTo(record.host());
            assertThat(event.timeMicros()).isEqualTo(record.timeMillis() * 1000);
            assertThat(record.timeMillis()).isGreaterThanOrEqualTo(previous); // no disorder asked: in time order
            previous = record.timeMillis();
            hosts.add(event.host());
            if ("C:\\Windows\\System32\\wermgr.exe".equals(event.field("Image"))
                    && Integer.valueOf(0).equals(event.field("CommandLineArgCount"))) {
                wer++;
            }
        }
        assertThat(generator.size()).isEqualTo(2_000);
        assertThat(hosts).hasSize(100);
        assertThat(wer).isPositive();
        List<TelemetryGenerator.ExpectedAlert> expected = generator.expectedAlerts();
        long netconn = expected.stream().filter(a -> a.ruleName().equals("wer_masquerade_netconn")).count();
        long chains = expected.stream().filter(a -> a.ruleName().equals("wer_masquerade_chain")).count();
        assertThat(netconn).isEqualTo(100);
        assertThat(chains).isBetween(30L, 70L); // half the hosts, seeded
        assertThat(expected).allSatisfy(a -> assertThat(a.lastMillis() - a.firstMillis())
                .isBetween(5_000L, Duration.ofMinutes(30).toMillis()));
    }

    @Test
    void disorderShufflesWithinItsBound() {
        List<TelemetryGenerator.Record> records = records(generator(200, 5_000, 0.1, Duration.ofSeconds(30), 9));
        long latest = records.get(0).timeMillis();
        boolean outOfOrder = false;
        for (TelemetryGenerator.Record record : records) {
            outOfOrder |= record.timeMillis() < latest;
            assertThat(latest - record.timeMillis()).isLessThanOrEqualTo(30_000);
            latest = Math.max(latest, record.timeMillis());
        }
        assertThat(outOfOrder).isTrue();
    }

    @Test
    void settingsThatCannotWorkAreRefusedWithAReason() {
        assertThatThrownBy(() -> generator(10, 5, 0.1, Duration.ZERO, 1))
                .hasMessage("--events must be at least 2 per host (20 for 10 hosts: a start and a connection each), got 5");
        assertThatThrownBy(() -> generator(10, 100, 1.5, Duration.ZERO, 1))
                .hasMessage("--chain-rate must be between 0 and 1, got 1.5");
        assertThatThrownBy(() -> generator(0, 100, 0.1, Duration.ZERO, 1)).hasMessage("--hosts must be at least 1, got 0");
    }
}
